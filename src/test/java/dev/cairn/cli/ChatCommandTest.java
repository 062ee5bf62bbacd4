package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cairn chat` one-shot use through Main.run, with the question on stdin or in a file. */
class ChatCommandTest {
    @TempDir
    Path tmp;

    static String aidreams() throws Exception {
        return Path.of(ChatCommandTest.class.getResource("/models/aidreams260K-f32.gguf").toURI()).toString();
    }

    @Test
    void answersAQuestionFromStdinOnceAndExits() throws Exception {
        CliCapture r = CliCapture.runWithStdin("I dreamed of a\n", "chat", "--model", aidreams(), "--temperature", "0", "-n", "10", "--prefill-chunk", "4");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isNotBlank().endsWith("\n").doesNotContain("\r").doesNotContain("Prompt ▕");
        // stderr is a pipe here: the summary line, and no bar redrawn with carriage returns and escape codes
        assertThat(r.err()).containsPattern("\\[10 tokens · prompt \\d+").doesNotContain("\r").doesNotContain("\u001b")
                .doesNotContain("Prompt ▕");

        // greedy: the same question gives the same answer, from a file this time
        Path q = Files.writeString(tmp.resolve("q.txt"), "I dreamed of a\n");
        CliCapture again = CliCapture.runWithStdin("", "chat", "--model", aidreams(), "--temperature", "0", "-n", "10", "--prompt-file", q.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo(r.out());
    }

    @Test
    void usesTheSystemPromptInTheTemplate() throws Exception {
        CliCapture plain = CliCapture.runWithStdin("The machine", "chat", "--model", aidreams(), "--temperature", "0", "-n", "4");
        CliCapture withSystem = CliCapture.runWithStdin("The machine", "chat", "--model", aidreams(), "--temperature", "0", "-n", "4",
                "--system", "You are a poet who dreams of vectors.");
        assertThat(plain.exitCode()).isZero();
        assertThat(withSystem.exitCode()).isZero();
        int p1 = promptTokens(plain.err());
        int p2 = promptTokens(withSystem.err());
        assertThat(p2).isGreaterThan(p1 + 5);
    }

    static int promptTokens(String err) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("prompt (\\d+)").matcher(err);
        assertThat(m.find()).as(err).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void badInputGetsAOneLineErrorNotAStackTrace() throws Exception {
        CliCapture missing = CliCapture.runWithStdin("", "chat", "--model", aidreams(), "--prompt-file", tmp.resolve("nope.txt").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("prompt file not found").doesNotContain("Exception").doesNotContain("\tat ");

        CliCapture empty = CliCapture.runWithStdin("   \n", "chat", "--model", aidreams());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("the prompt is empty");

        CliCapture unknown = CliCapture.runWithStdin("hi", "chat", "--model", "no-such-model:7b");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no model named 'no-such-model:7b'").contains("Looked in:").doesNotContain("\tat ");

        CliCapture tooLong = CliCapture.runWithStdin("dream ".repeat(400), "chat", "--model", aidreams(), "-n", "4");
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).contains("the context holds 128");
    }
}
