package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.SyntheticModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive {@code cairn chat} in a real terminal: util-linux's {@code script} runs it on a pseudo-terminal, and the
 * test types into that terminal. A Ctrl-C typed there reaches the JVM as SIGINT through the terminal itself, exactly
 * as for a user: during an answer it stops the answer and the chat goes on; at the prompt it quits.
 */
class ChatTerminalTest {
    private static final long TIMEOUT_MS = 90_000;

    @TempDir
    Path tmp;

    @Test
    void ctrlCStopsTheAnswerThenTheChatGoesOnAndCtrlCAtThePromptQuits() throws Exception {
        // 100M random weights, 16-token prefill chunks and up to 400 answer tokens: the answer lasts seconds, so the
        // Ctrl-C typed once the progress bar shows arrives while it is being produced.
        Path model = SyntheticModel.write(tmp.resolve("random-100m-q8_0.gguf"),
                new SyntheticModel.Spec("llama", SyntheticModel.Shape.M100, GgmlType.Q8_0, 42));
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + tmp.resolve("home"), "-cp", System.getProperty("java.class.path"),
                "dev.cairn.cli.Main", "chat", "--model", model.toString(), "--prefill-chunk", "16", "-n", "400",
                "--ctx-size", "1024", "--temperature", "0");
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", shellQuoted(java), "/dev/null")
                .directory(Files.createDirectories(tmp.resolve("work")).toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", tmp.resolve("home").toString());
        Process p = pb.start();
        Screen screen = new Screen(p);
        try (OutputStream keys = p.getOutputStream()) {
            screen.await("the first prompt", s -> s.contains("Ctrl-C stops an answer.") && s.endsWith("> "));

            type(keys, "tell me about " + "the stones on the hill ".repeat(20) + "\r"); // Enter
            int asked = screen.length();
            screen.await("the prefill progress bar", s -> s.indexOf("Prompt ", asked) >= 0);
            type(keys, "\u0003"); // Ctrl-C, turned into SIGINT by the terminal
            screen.await("the answer stopped and a new prompt",
                    s -> s.indexOf("[stopped", asked) >= 0 && s.endsWith("> "));
            assertThat(p.isAlive()).as("Ctrl-C during an answer keeps the chat running").isTrue();

            type(keys, "/new\r"); // the session still takes commands
            screen.await("the new chat", s -> s.contains("[new chat]") && s.endsWith("> "));

            type(keys, "\u0003"); // Ctrl-C at the prompt quits
            assertThat(p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)).as("chat quit on Ctrl-C at the prompt:%n%s",
                    screen).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(screen.toString()).isEqualTo(130);
    }

    static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    static String shellQuoted(List<String> args) {
        List<String> quoted = new ArrayList<>();
        for (String a : args) {
            quoted.add("'" + a.replace("'", "'\"'\"'") + "'");
        }
        return String.join(" ", quoted);
    }

    /** Everything the terminal showed so far, read on a thread of its own. */
    static final class Screen {
        private final StringBuffer text = new StringBuffer();
        private final Process process;

        Screen(Process process) {
            this.process = process;
            InputStream in = process.getInputStream();
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    text.append("\n[read failed: ").append(e).append(']');
                }
            });
        }

        int length() {
            return text.length();
        }

        void await(String what, Predicate<String> shown) throws InterruptedException {
            long end = System.currentTimeMillis() + TIMEOUT_MS;
            while (!shown.test(text.toString())) {
                if (!process.isAlive() && process.waitFor(200, TimeUnit.MILLISECONDS)
                        && !shown.test(text.toString())) {
                    throw new AssertionError("the chat exited (code " + process.exitValue() + ") before showing "
                            + what + "; the terminal showed:\n" + text);
                }
                if (System.currentTimeMillis() > end) {
                    throw new AssertionError("timed out waiting for " + what + "; the terminal showed:\n" + text);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
