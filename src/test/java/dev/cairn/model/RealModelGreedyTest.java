package dev.cairn.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufFile;
import dev.cairn.tensor.WorkerPool;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real aidreams260K model (Llama architecture) against llama.cpp's greedy ids in models/REFERENCE.md.
 * F32 and F16 must match exactly; the quantized files must match at least as far as measured (llama.cpp also
 * quantizes activations to 8 bits there, cairn keeps them fp32, so they drift after a while).
 */
class RealModelGreedyTest {
    record Case(String prompt, int[] promptIds, int[] generated) {
    }

    static WorkerPool pool;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static Path model(String name) throws URISyntaxException {
        return Path.of(RealModelGreedyTest.class.getResource("/models/" + name).toURI());
    }

    /** The cases of one file's section in REFERENCE.md. */
    static List<Case> reference(String file) throws IOException, URISyntaxException {
        List<String> lines = Files.readAllLines(model("REFERENCE.md"));
        List<Case> cases = new ArrayList<>();
        boolean in = false;
        String prompt = null;
        int[] ids = null;
        for (String line : lines) {
            String s = line.strip();
            if (s.startsWith("## ")) {
                in = s.substring(3).strip().equals(file);
            } else if (in && s.startsWith("- prompt:")) {
                prompt = s.substring("- prompt:".length()).strip();
            } else if (in && s.startsWith("- prompt ids:")) {
                ids = parse(s.substring("- prompt ids:".length()));
            } else if (in && s.startsWith("- generated:")) {
                cases.add(new Case(prompt, ids, parse(s.substring("- generated:".length()))));
            }
        }
        assertThat(cases).as("cases for " + file).hasSize(3);
        return cases;
    }

    static int[] parse(String s) {
        return Arrays.stream(s.strip().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    static int agreement(int[] a, int[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[n] == b[n]) {
            n++;
        }
        return n;
    }

    int[] agreements(String file, int chunk) throws Exception {
        List<Case> cases = reference(file);
        int[] agree = new int[cases.size()];
        try (GgufFile f = GgufFile.open(model(file));
             TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            assertThat(m.ctxSize()).isEqualTo(128);
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                int[] got = Greedy.generate(m, m.newCache(), c.promptIds(), chunk, c.generated().length);
                agree[i] = agreement(got, c.generated());
                System.out.println(file + " chunk " + chunk + " prompt '" + c.prompt() + "': " + agree[i] + "/"
                        + c.generated().length + " agree; got " + Arrays.toString(got));
            }
        }
        return agree;
    }

    @Test
    void f32MatchesLlamaCppExactly() throws Exception {
        assertThat(agreements("aidreams260K-f32.gguf", 512)).containsOnly(40);
        assertThat(agreements("aidreams260K-f32.gguf", 1)).containsOnly(40);
    }

    @Test
    void f16MatchesLlamaCppExactly() throws Exception {
        assertThat(agreements("aidreams260K-f16.gguf", 3)).containsOnly(40);
    }

    @Test
    void q8MixedAgreesAsFarAsMeasured() throws Exception {
        // Measured: 40, 40 and 1 of 40. In the third prompt llama.cpp's Q8_0 run itself leaves its F32 answer at
        // the second token (an 8-bit activation rounding flips a close call); cairn keeps giving the F32 answer.
        int[] a = agreements("aidreams260K-q8_0-mixed.gguf", 512);
        assertThat(a[0]).isEqualTo(40);
        assertThat(a[1]).isEqualTo(40);
        assertThat(a[2]).isGreaterThanOrEqualTo(1);
    }

    @Test
    void q4MixedAgreesAsFarAsMeasured() throws Exception {
        // Measured: all 40 ids of all three prompts agree.
        int[] a = agreements("aidreams260K-q4_0-mixed.gguf", 512);
        assertThat(a).containsOnly(40);
    }
}
