package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * npm packages pinned by a package.json and package-lock.json under a test resource folder, installed once per
 * machine with {@code npm ci} into ~/.cache/cairn/npm/LOCKHASH (under a file lock, since test JVMs of other checkouts
 * may install the same set at once); later runs reuse that directory without touching the registry.
 */
final class NpmCache {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> FILES = List.of("package.json", "package-lock.json");
    /** Written last by a successful install, so a broken or interrupted one is redone. */
    private static final String DONE = "installed";
    private static final Map<String, Path> INSTALLED = new HashMap<>();

    private NpmCache() {
    }

    /** The node_modules directory for the packages pinned under the resource folder {@code /folder}. */
    static synchronized Path install(String folder) {
        Path known = INSTALLED.get(folder);
        if (known != null) {
            return known;
        }
        try {
            byte[] lock = resource(folder, "package-lock.json");
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "cairn", "npm", hash(lock));
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                if (!Files.exists(dir.resolve(DONE))) {
                    for (String f : FILES) {
                        Files.write(dir.resolve(f), resource(folder, f));
                    }
                    Path log = dir.resolve("npm-install.log");
                    ProcessBuilder pb = new ProcessBuilder(executable("npm"), "ci", "--prefix", dir.toString(),
                            "--no-audit", "--no-fund", "--loglevel=warn")
                            .redirectErrorStream(true).redirectOutput(log.toFile());
                    int status = await(pb.start(), INSTALL_TIMEOUT, "npm ci in " + dir, log);
                    if (status != 0) {
                        fail("npm ci of the packages pinned in /" + folder + " failed (exit " + status + "):\n"
                                + Files.readString(log));
                    }
                    Files.writeString(dir.resolve(DONE), "ok\n");
                }
            }
            Path modules = dir.resolve("node_modules");
            INSTALLED.put(folder, modules);
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code p}, killing it and failing with its log when it overruns {@code timeout}. */
    static int await(Process p, Duration timeout, String what, Path log) throws IOException {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(what + " did not finish within " + timeout + ":\n" + Files.readString(log));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** {@code name} from the PATH, or a failure that says how to install it. */
    static String executable(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return fail("the npm-based tests need Node.js and npm (`" + name + "` is not on the PATH); install them with "
                + "`apt-get install -y nodejs npm` (`./cairn test` does this through scripts/install-test-deps)");
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static byte[] resource(String folder, String name) throws IOException {
        try (InputStream in = NpmCache.class.getResourceAsStream("/" + folder + "/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /" + folder + "/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
