package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cairn chat` one-shot use through Main.run, with the question on stdin or in a file. */
class ChatCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String aidreams() throws Exception {
        return Path.of(ChatCommandTest.class.getResource("/models/aidreams260K-f32.gguf").toURI()).toString();
    }

    @Test
    void answersAQuestionFromStdinOnceAndExits() throws Exception {
        Run r = run("I dreamed of a\n", "chat", "--model", aidreams(), "--temperature", "0", "-n", "10", "--prefill-chunk", "4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isNotBlank().endsWith("\n").doesNotContain("\r").doesNotContain("Prompt ▕");
        assertThat(r.err()).contains("\rPrompt ▕").contains("\r\u001b[K").containsPattern("\\[10 tokens · prompt \\d+");

        // greedy: the same question gives the same answer, from a file this time
        Path q = Files.writeString(tmp.resolve("q.txt"), "I dreamed of a\n");
        Run again = run("", "chat", "--model", aidreams(), "--temperature", "0", "-n", "10", "--prompt-file", q.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).isEqualTo(r.out());
    }

    @Test
    void usesTheSystemPromptInTheTemplate() throws Exception {
        Run plain = run("The machine", "chat", "--model", aidreams(), "--temperature", "0", "-n", "4");
        Run withSystem = run("The machine", "chat", "--model", aidreams(), "--temperature", "0", "-n", "4",
                "--system", "You are a poet who dreams of vectors.");
        assertThat(plain.code()).isZero();
        assertThat(withSystem.code()).isZero();
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
        Run missing = run("", "chat", "--model", aidreams(), "--prompt-file", tmp.resolve("nope.txt").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("prompt file not found").doesNotContain("Exception").doesNotContain("\tat ");

        Run empty = run("   \n", "chat", "--model", aidreams());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("the prompt is empty");

        Run unknown = run("hi", "chat", "--model", "no-such-model:7b");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no model named 'no-such-model:7b'").contains("Looked in:").doesNotContain("\tat ");

        Run tooLong = run("dream ".repeat(400), "chat", "--model", aidreams(), "-n", "4");
        assertThat(tooLong.code()).isEqualTo(1);
        assertThat(tooLong.err()).contains("the context holds 128");
    }
}
