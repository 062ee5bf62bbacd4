package dev.cairn.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufFile;
import dev.cairn.tensor.WorkerPool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The attention and element-wise loops choose their vector width at run time, so on an AVX-512 machine the AVX2
 * shapes would never run. {@link #main} runs in a JVM limited to 256-bit vectors: the attention kernel against its
 * reference, and aidreams260K's greedy ids against llama.cpp's with whole-prompt and one-token prefill.
 */
class NarrowVectorModelTest {
    @Test
    void modelMatchesReferencesWith256BitVectors() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=32",
                "-cp", System.getProperty("java.class.path"), NarrowVectorModelTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("float lanes 8").contains("attention matches").contains("aidreams matches");
        assertThat(p.exitValue()).as(output).isZero();
    }

    public static void main(String[] args) throws Exception {
        System.out.println("float lanes " + FloatVector.SPECIES_PREFERRED.length());
        for (int[] c : AttentionTest.CASES) {
            double err = AttentionTest.worstError(c[0], c[1], c[2]);
            if (!(err < 2e-5)) {
                System.out.println("attention MISMATCH " + Arrays.toString(c) + ": " + err);
                System.exit(1);
            }
        }
        System.out.println("attention matches");
        List<RealModelGreedyTest.Case> cases = RealModelGreedyTest.reference("aidreams260K-f32.gguf");
        try (WorkerPool pool = new WorkerPool(2);
             GgufFile f = GgufFile.open(RealModelGreedyTest.model("aidreams260K-f32.gguf"));
             TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            for (RealModelGreedyTest.Case c : cases) {
                for (int chunk : new int[]{1, 512}) {
                    int[] got = Greedy.generate(m, m.newCache(), c.promptIds(), chunk, c.generated().length);
                    if (!Arrays.equals(got, c.generated())) {
                        System.out.println("aidreams MISMATCH '" + c.prompt() + "' chunk " + chunk + ": " + Arrays.toString(got));
                        System.exit(1);
                    }
                }
            }
        }
        System.out.println("aidreams matches");
    }
}
