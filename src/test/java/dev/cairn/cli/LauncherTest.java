package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./cairn launcher script on a machine that lacks a tool it needs. */
class LauncherTest {
    @TempDir
    Path tmp;

    /** Every command the launcher itself uses, but not mvn. */
    private static final List<String> TOOLS = List.of("bash", "dirname", "readlink", "awk", "cksum", "find", "cp",
            "mv", "mkdir", "rm", "cut", "id", "env");

    @Test
    void withoutMavenBuildingSaysWhatToInstallInsteadOfCommandNotFound() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : TOOLS) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path p = Path.of(dir, tool);
                if (Files.isExecutable(p)) {
                    Files.createSymbolicLink(bin.resolve(tool), p);
                    break;
                }
            }
        }
        // A copy of the launcher next to a source tree newer than any jar, so it must build.
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Path.of("cairn"), root.resolve("cairn"));
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("src/main/Changed.java"), "class Changed {}");
        Files.writeString(root.resolve("pom.xml"), "<project/>");

        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(), root.resolve("cairn").toString(), "--version");
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path err = tmp.resolve("err.txt");
        pb.redirectErrorStream(false).redirectError(err.toFile()).redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(Files.readString(err))
                .contains("cairn needs Apache Maven")
                .contains("apt-get install -y maven")
                .doesNotContain("command not found");
    }

    @Test
    void theJvmsIncubatorWarningIsDroppedAndEverythingElseOnStderrPassesThrough() throws Exception {
        // A stand-in JDK whose java prints what the real one prints first, then a partial line (a bar being drawn).
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(jdk.resolve("javac"), "#!/bin/sh\n");
        Files.writeString(jdk.resolve("java"), """
                #!/bin/sh
                if [ "$1" = "-version" ]; then echo 'openjdk version "25.0.1" 2025-10-21' >&2; exit 0; fi
                echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2
                printf 'Prompt 3/10 tok' >&2
                printf '\\rPrompt 10/10 tok\\n' >&2
                echo "args: $*"
                exit 3
                """);
        jdk.resolve("java").toFile().setExecutable(true);
        jdk.resolve("javac").toFile().setExecutable(true);
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Path.of("cairn"), root.resolve("cairn"));
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path jar = Files.createDirectories(root.resolve("target")).resolve("cairn.jar");
        Files.writeString(jar, "not really a jar");
        jar.toFile().setLastModified(System.currentTimeMillis() + 60_000); // newer than the sources: no build

        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("cairn").toString(), "chat");
        pb.environment().put("JAVA_HOME", jdk.getParent().toString());
        Path out = tmp.resolve("out.txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        // Read to the end: the filter may still be passing on the last bytes when java has exited.
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as("java's exit code").isEqualTo(3);
        assertThat(err).isEqualTo("Prompt 3/10 tok\rPrompt 10/10 tok\n");
        assertThat(Files.readString(out)).contains("-Dcairn.stderr.terminal=false").contains(" chat");
    }
}
