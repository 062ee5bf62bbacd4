package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official npm SDKs ({@code openai}, {@code @anthropic-ai/sdk}) driven from tests: the versions pinned in
 * src/test/resources/node/package.json (with its lockfile) are installed once per machine into
 * ~/.cache/cairn/npm/LOCKHASH with {@code npm ci}, and later runs use them without touching the registry. Each call
 * runs src/test/resources/node/sdk.cjs in Node.js with a job on stdin and returns the JSON it prints.
 */
final class NodeSdk {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> FILES = List.of("package.json", "package-lock.json");
    private static final String SCRIPT = "sdk.cjs";
    /** Written last by a successful install, so a broken or interrupted one is redone. */
    private static final String DONE = "installed";

    private static Path modules;

    private NodeSdk() {
    }

    /** The SDK's answer to one job: what sdk.cjs printed. */
    record Result(JsonNode json) {
        /** The SDK error (name, status, message, body) when the call failed, else null. */
        JsonNode error() {
            return json.get("error");
        }

        /** The JSON, after checking the SDK call did not fail. */
        JsonNode ok() {
            if (error() != null) {
                fail("the SDK call failed: " + error());
            }
            return json;
        }
    }

    /**
     * Runs {@code op} ("create", "stream", "parse" (openai), "tool-loop") of {@code sdk} ("openai", "anthropic") with
     * the SDK call's parameters {@code request} against {@code baseUrl}; {@code extra} fields (e.g. "stream",
     * "followUp" for tool loops) are added to the job.
     */
    static Result run(String sdk, String op, String baseUrl, String apiKey, JsonNode request, ObjectNode extra) {
        Path nodeModules = install();
        ObjectNode job = Json.MAPPER.createObjectNode().put("sdk", sdk).put("op", op)
                .put("baseURL", sdk.equals("openai") ? baseUrl + "/v1" : baseUrl).put("apiKey", apiKey);
        job.set("request", request);
        if (extra != null) {
            job.setAll(extra);
        }
        try {
            Path dir = Files.createTempDirectory("cairn-node-sdk");
            try {
                Path in = Files.writeString(dir.resolve("job.json"), job.toString());
                Path out = dir.resolve("stdout");
                Path err = dir.resolve("stderr");
                ProcessBuilder pb = new ProcessBuilder(executable("node"), script().toString())
                        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("NODE_PATH", nodeModules.toString());
                int status = await(pb.start(), RUN_TIMEOUT, "node " + SCRIPT + " (" + sdk + " " + op + ")", err);
                if (status != 0) {
                    fail("node " + SCRIPT + " failed (exit " + status + ") on " + job + ":\n" + Files.readString(err));
                }
                return new Result(Json.MAPPER.readTree(Files.readString(out)));
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The installed node_modules directory, installing the pinned packages first when they are not there. */
    static synchronized Path install() {
        if (modules != null) {
            return modules;
        }
        try {
            byte[] lock = resource("package-lock.json");
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "cairn", "npm", hash(lock));
            Files.createDirectories(dir);
            // Other test JVMs on the machine (other checkouts) may install into the same directory at the same time.
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                if (!Files.exists(dir.resolve(DONE))) {
                    for (String f : FILES) {
                        Files.write(dir.resolve(f), resource(f));
                    }
                    Path log = dir.resolve("npm-install.log");
                    ProcessBuilder pb = new ProcessBuilder(executable("npm"), "ci", "--prefix", dir.toString(),
                            "--no-audit", "--no-fund", "--loglevel=warn")
                            .redirectErrorStream(true).redirectOutput(log.toFile());
                    int status = await(pb.start(), INSTALL_TIMEOUT, "npm ci in " + dir, log);
                    if (status != 0) {
                        fail("npm ci of the SDK test packages failed (exit " + status + "):\n" + Files.readString(log));
                    }
                    Files.writeString(dir.resolve(DONE), "ok\n");
                }
            }
            modules = dir.resolve("node_modules");
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int await(Process p, Duration timeout, String what, Path log) throws IOException {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(what + " did not finish within " + timeout + ":\n"
                        + Files.readString(log));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** {@code name} from the PATH, or a failure that says how to install it. */
    private static String executable(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return fail("the npm SDK tests need Node.js and npm (`" + name + "` is not on the PATH); install them with "
                + "`apt-get install -y nodejs npm` (`./cairn test` does this through scripts/install-test-deps)");
    }

    private static Path script() {
        try {
            return Path.of(NodeSdk.class.getResource("/node/" + SCRIPT).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NodeSdk.class.getResourceAsStream("/node/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /node/" + name + " is missing");
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

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
