package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCommandTest {
    static String resource(String path) throws Exception {
        return Path.of(TokenizeCommandTest.class.getResource(path).toURI()).toString();
    }

    /** Each failure is exit 1 with one clear message on stderr, no stack trace and nothing on stdout. */
    private static void assertFailsWith(String message, String... args) {
        CliCapture r = CliCapture.run(args);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(message).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void printsIdsWithBosAsTheMetadataSays() throws Exception {
        String model = resource("/models/aidreams260K-f32.gguf");
        CliCapture r = CliCapture.run("tokenize", "--model", model, "I dreamed of a");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("1 303 281 269 435 447 328 275 262" + System.lineSeparator());
    }

    @Test
    void noSpecialAddsNoBos() throws Exception {
        String model = resource("/models/aidreams260K-f32.gguf");
        CliCapture r = CliCapture.run("tokenize", "--model", model, "--no-special", "The machine");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out().strip()).isEqualTo("368 430 276 435 307 259 430");
    }

    @Test
    void parseSpecialMatchesControlTokensOnlyWhenAsked() throws Exception {
        String vocab = resource("/vocab/ggml-vocab-gpt-2.gguf");
        // ids checked with llama-tokenize: without --parse-special the text is spelled out
        CliCapture r = CliCapture.run("tokenize", "--model", vocab, "--no-special", "Hi<|endoftext|>");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out().strip()).isEqualTo("17250 27 91 437 1659 5239 91 29");
        CliCapture parsed = CliCapture.run("tokenize", "--model", vocab, "--no-special", "--parse-special", "Hi<|endoftext|>");
        assertThat(parsed.exitCode()).isEqualTo(0);
        assertThat(parsed.out().strip()).isEqualTo("17250 50256");
    }

    @Test
    void fileIsReadByteForByte(@TempDir Path dir) throws Exception {
        String vocab = resource("/vocab/ggml-vocab-llama-spm.gguf");
        Path text = dir.resolve("in.txt");
        Files.write(text, "Hello world\n\n".getBytes(StandardCharsets.UTF_8));
        CliCapture r = CliCapture.run("tokenize", "--model", vocab, "--file", text.toString());
        assertThat(r.exitCode()).isEqualTo(0);
        // BOS, "▁Hello", "▁world", and both newlines as <0x0A> (nothing stripped)
        assertThat(r.out().strip()).isEqualTo("1 15043 3186 13 13");
    }

    @Test
    void clearErrorsExitOne(@TempDir Path dir) throws Exception {
        assertFailsWith("--model FILE.gguf is required", "tokenize", "hello");

        String model = resource("/models/aidreams260K-f32.gguf");
        assertFailsWith("give the text to tokenize, or --file PATH", "tokenize", "--model", model);

        assertFailsWith("missing.gguf: no such file", "tokenize", "--model", dir.resolve("missing.gguf").toString(), "x");

        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "not a model");
        assertFailsWith("not a GGUF file", "tokenize", "--model", junk.toString(), "x");

        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'a', (byte) 0xC3});
        assertFailsWith("not valid UTF-8", "tokenize", "--model", model, "--file", bad.toString());

        assertFailsWith("nope.txt: no such file", "tokenize", "--model", model, "--file", dir.resolve("nope.txt").toString());
    }
}
