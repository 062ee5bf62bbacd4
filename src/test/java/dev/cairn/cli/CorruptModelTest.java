package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `cairn generate` (load, tokenizer, one forward step) on corrupted copies of a real model, with damage aimed where
 * loaders break: byte tokens ({@code <0x..>}), key and tensor names, and the lengths in front of them. Each run either
 * works or ends with exit code 1 and one printable error line that names the file: never a Java exception's text about
 * radix 16, never a screenful of binary.
 */
class CorruptModelTest {
    private static final int MAX_LINE = 300;
    private static final long[] HUGE = {-1L, 1L << 31, 1L << 40, 70_000, 0x7FFF_FFFFL};

    @TempDir
    static Path dir;
    static byte[] model;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = CorruptModelTest.class.getResourceAsStream("/models/aidreams260K-q8_0-mixed.gguf")) {
            model = in.readAllBytes();
        }
    }

    private final List<String> bad = new ArrayList<>();
    private int failed;
    private int worked;

    private void run(String what, byte[] bytes) throws Exception {
        Path file = dir.resolve("broken-model.gguf");
        Files.write(file, bytes);
        CliCapture r = CliCapture.run("generate", "--model", file.toString(), "-p", "Once upon", "-n", "1",
                "--threads", "1");
        if (r.exitCode() == 0) {
            worked++;
            return;
        }
        failed++;
        String err = r.err().strip();
        String problem = null;
        if (r.exitCode() != 1) {
            problem = "exit code " + r.exitCode();
        } else if (err.contains("\n")) {
            problem = "several lines";
        } else if (!err.startsWith("error: ")) {
            problem = "not an error line";
        } else if (!err.contains("broken-model.gguf")) {
            problem = "does not name the file";
        } else if (err.length() > MAX_LINE) {
            problem = err.length() + " characters";
        } else if (!err.codePoints().allMatch(c -> c >= 0x20 && c < 0x7f || Character.isLetterOrDigit(c))) {
            problem = "unprintable characters";
        } else if (err.contains("radix") || err.contains("Exception") || err.contains("For input string")) {
            problem = "Java internals";
        }
        if (problem != null && bad.size() < 15) {
            bad.add(what + ": " + problem + ": " + err.substring(0, Math.min(err.length(), 200)));
        }
    }

    /** Offsets of every occurrence of {@code text} in the model file. */
    private static List<Integer> find(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> at = new ArrayList<>();
        outer:
        for (int i = 0; i + needle.length <= model.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (model[i + j] != needle[j]) {
                    continue outer;
                }
            }
            at.add(i);
        }
        return at;
    }

    private static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    @Test
    void brokenByteTokensNamesAndLengthsGiveOneClearLine() throws Exception {
        SplittableRandom rng = new SplittableRandom(14);
        // Byte tokens: a hex digit replaced by a non-hex ASCII letter, a control byte or a stray UTF-8 byte.
        List<Integer> byteTokens = find("<0x");
        assertThat(byteTokens).hasSizeGreaterThan(200);
        for (int i = 0; i < 60; i++) {
            byte[] b = model.clone();
            int at = byteTokens.get(rng.nextInt(byteTokens.size())) + 3 + rng.nextInt(2);
            b[at] = new byte[] {'G', 'z', 0x01, (byte) 0xff, ' '}[i % 5];
            run("byte token at " + at, b);
        }
        // Names: key and tensor names with control bytes, invalid UTF-8, and lengths in front of them set wrong.
        List<Integer> names = new ArrayList<>();
        for (String n : List.of("general.architecture", "tokenizer.ggml.tokens", "llama.block_count",
                "token_embd.weight", "blk.0.attn_q.weight", "output_norm.weight", "tokenizer.ggml.model")) {
            names.addAll(find(n));
        }
        assertThat(names).hasSizeGreaterThan(6);
        for (int at : names) {
            for (byte v : new byte[] {0x00, 0x1b, (byte) 0xc3, (byte) 0xff}) {
                byte[] b = model.clone();
                b[at + 1 + rng.nextInt(4)] = v;
                run("name byte at " + at, b);
            }
            for (long v : HUGE) {
                byte[] b = model.clone();
                putLong(b, at - 8, v);
                run("name length " + v + " at " + (at - 8), b);
            }
            for (long delta : new long[] {-3, 5, 1000}) {
                byte[] b = model.clone();
                putLong(b, at - 8, ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN).getLong(at - 8) + delta);
                run("name length +" + delta + " at " + (at - 8), b);
            }
        }
        // Lengths of vocabulary strings: some tokens' length fields set to large values.
        List<Integer> tokens = find("<0x4");
        for (int i = 0; i < 20; i++) {
            byte[] b = model.clone();
            putLong(b, tokens.get(rng.nextInt(tokens.size())) - 8, HUGE[i % HUGE.length]);
            run("token length", b);
        }
        assertThat(bad).as("errors that are not one clear line naming the file").isEmpty();
        assertThat(failed).as("corruptions detected").isGreaterThan(50);
    }
}
