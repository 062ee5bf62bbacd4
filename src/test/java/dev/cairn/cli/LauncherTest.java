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
}
