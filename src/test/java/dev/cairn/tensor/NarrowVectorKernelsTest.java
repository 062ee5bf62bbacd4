package dev.cairn.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels pick their vector shapes at run time, so an AVX-512 build machine would never run the AVX2 shapes.
 * This test runs {@link #main} in a JVM limited to 256-bit vectors ({@code -XX:MaxVectorSize=32}), checking every
 * type's matmul and matvec against the scalar reference there.
 */
class NarrowVectorKernelsTest {
    @Test
    void kernelsMatchTheReferenceWith256BitVectors() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=32",
                "-cp", System.getProperty("java.class.path"), NarrowVectorKernelsTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("float lanes 8").contains("all types match");
        assertThat(p.exitValue()).as(output).isZero();
    }

    public static void main(String[] args) {
        System.out.println("float lanes " + Lanes.FLOAT_LANES);
        Random rnd = new Random(256);
        try (WorkerPool pool = new WorkerPool(2)) {
            for (GgmlType type : GgmlType.values()) {
                if (!WeightMatrices.isSupported(type)) {
                    continue;
                }
                for (int cols : WeightMatrixKernelsTest.widths(type)) {
                    int rows = 2 * Lanes.FLOAT_LANES + 5; // a full panel and a partial one
                    byte[] bytes = RandomWeights.rows(type, rows, cols, rnd);
                    WeightMatrix m = WeightMatrices.of(type, MemorySegment.ofArray(bytes), rows, cols);
                    float[][] ref = WeightMatrixKernelsTest.referenceRows(type, bytes, rows, cols);
                    for (int n : new int[] {1, 7, 13}) {
                        float[] x = RandomWeights.floats(n * cols, rnd);
                        float[] out = new float[n * rows];
                        m.matmul(x, n, out, pool);
                        for (int t = 0; t < n; t++) {
                            for (int r = 0; r < rows; r++) {
                                int tt = t;
                                WeightMatrixKernelsTest.assertClose(out[t * rows + r], ref[r], x, t * cols,
                                        () -> type + " " + rows + "x" + cols + " n=" + tt);
                            }
                        }
                    }
                }
            }
        } catch (AssertionError e) {
            System.out.println("MISMATCH " + e.getMessage());
            System.exit(1);
        }
        System.out.println("all types match");
    }
}
