package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    static String resource(String path) throws Exception {
        return Path.of(TokenizeCommandTest.class.getResource(path).toURI()).toString();
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsIdsWithBosAsTheMetadataSays() throws Exception {
        String model = resource("/models/aidreams260K-f32.gguf");
        assertThat(Main.run("tokenize", "--model", model, "I dreamed of a")).isEqualTo(0);
        assertThat(stdout()).isEqualTo("1 303 281 269 435 447 328 275 262" + System.lineSeparator());
    }

    @Test
    void noSpecialAddsNoBos() throws Exception {
        String model = resource("/models/aidreams260K-f32.gguf");
        assertThat(Main.run("tokenize", "--model", model, "--no-special", "The machine")).isEqualTo(0);
        assertThat(stdout().strip()).isEqualTo("368 430 276 435 307 259 430");
    }

    @Test
    void parseSpecialMatchesControlTokensOnlyWhenAsked() throws Exception {
        String vocab = resource("/vocab/ggml-vocab-gpt-2.gguf");
        // ids checked with llama-tokenize: without --parse-special the text is spelled out
        assertThat(Main.run("tokenize", "--model", vocab, "--no-special", "Hi<|endoftext|>")).isEqualTo(0);
        assertThat(stdout().strip()).isEqualTo("17250 27 91 437 1659 5239 91 29");
        out.reset();
        assertThat(Main.run("tokenize", "--model", vocab, "--no-special", "--parse-special", "Hi<|endoftext|>")).isEqualTo(0);
        assertThat(stdout().strip()).isEqualTo("17250 50256");
    }

    @Test
    void fileIsReadByteForByte(@TempDir Path dir) throws Exception {
        String vocab = resource("/vocab/ggml-vocab-llama-spm.gguf");
        Path text = dir.resolve("in.txt");
        Files.write(text, "Hello world\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(Main.run("tokenize", "--model", vocab, "--file", text.toString())).isEqualTo(0);
        // BOS, "▁Hello", "▁world", and both newlines as <0x0A> (nothing stripped)
        assertThat(stdout().strip()).isEqualTo("1 15043 3186 13 13");
    }

    @Test
    void clearErrorsExitOne(@TempDir Path dir) throws Exception {
        assertThat(Main.run("tokenize", "hello")).isEqualTo(1);
        assertThat(stderr()).contains("--model FILE.gguf is required");

        String model = resource("/models/aidreams260K-f32.gguf");
        assertThat(Main.run("tokenize", "--model", model)).isEqualTo(1);
        assertThat(stderr()).contains("give the text to tokenize, or --file PATH");

        assertThat(Main.run("tokenize", "--model", dir.resolve("missing.gguf").toString(), "x")).isEqualTo(1);
        assertThat(stderr()).contains("missing.gguf: no such file");

        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "not a model");
        assertThat(Main.run("tokenize", "--model", junk.toString(), "x")).isEqualTo(1);
        assertThat(stderr()).contains("not a GGUF file");

        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'a', (byte) 0xC3});
        assertThat(Main.run("tokenize", "--model", model, "--file", bad.toString())).isEqualTo(1);
        assertThat(stderr()).contains("not valid UTF-8");

        assertThat(Main.run("tokenize", "--model", model, "--file", dir.resolve("nope.txt").toString())).isEqualTo(1);
        assertThat(stderr()).contains("nope.txt: no such file");
        assertThat(stderr()).doesNotContain("Exception");
        assertThat(stdout()).isEmpty();
    }
}
