package dev.cairn.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.gguf.Dequantize;
import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.Quantize;
import dev.cairn.gguf.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every weight type's GEMM, matvec and row dequantization against a scalar reference: ggml's dequantizers
 * transliterated in {@link ReferenceDequantizer}, then double-precision dot products.
 */
class WeightMatrixKernelsTest {
    static final int[] TOKENS = {1, 3, 5, 6, 7, 17, 64, 130}; // below, at and past one micro-kernel group

    static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /** Column counts per type: one over the GEMM's column block and one odd width where the block size allows. */
    static int[] widths(GgmlType type) {
        return switch (type.blockSize) {
            case 1 -> new int[] {172, 301};
            case 32 -> new int[] {96, 288};
            default -> new int[] {512};
        };
    }

    /**
     * The micro-kernel runs at the preferred vector width; run this class with {@code -XX:MaxVectorSize=32} to test
     * the AVX2 shapes on an AVX-512 machine (done for the commits that changed kernels).
     */
    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
            "Q6_K"})
    void matmulEqualsScalarReference(GgmlType type) {
        Random rnd = new Random(type.ordinal() * 31L);
        PanelGemm gemm = PanelGemm.PREFERRED;
        for (int cols : widths(type)) {
            for (int rows : new int[] {1, 61, gemm.kernel().rows() + 3}) {
                byte[] bytes = RandomWeights.rows(type, rows, cols, rnd);
                WeightMatrix m = WeightMatrices.of(type, MemorySegment.ofArray(bytes), rows, cols);
                float[][] ref = referenceRows(type, bytes, rows, cols);
                for (int n : TOKENS) {
                    float[] x = RandomWeights.floats(n * cols, rnd);
                    float[] out = new float[n * rows];
                    java.util.Arrays.fill(out, Float.NaN); // every output must be written, not accumulated
                    m.matmul(x, n, out, pool);
                    for (int t = 0; t < n; t++) {
                        for (int r = 0; r < rows; r++) {
                            assertClose(out[t * rows + r], ref[r], x, t * cols,
                                    () -> type + " " + rows + "x" + cols + " n=" + n);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
            "Q6_K"})
    void matvecAndRowsEqualScalarReference(GgmlType type) {
        Random rnd = new Random(type.ordinal());
        for (int cols : widths(type)) {
            int rows = 37;
            byte[] bytes = RandomWeights.rows(type, rows, cols, rnd);
            WeightMatrix m = WeightMatrices.of(type, MemorySegment.ofArray(bytes), rows, cols);
            float[][] ref = referenceRows(type, bytes, rows, cols);
            for (int r = 0; r < rows; r++) {
                float[] row = new float[cols + 3];
                m.dequantizeRow(r, row, 3);
                assertThat(java.util.Arrays.copyOfRange(row, 3, cols + 3)).as("%s row %d", type, r).containsExactly(ref[r]);
            }
            for (ThreadPool p : new ThreadPool[] {pool, new WorkerPool(1)}) {
                float[] x = RandomWeights.floats(cols, rnd);
                float[] out = new float[rows];
                m.matvec(x, out, p);
                for (int r = 0; r < rows; r++) {
                    assertClose(out[r], ref[r], x, 0, () -> type + " matvec " + rows + "x" + cols);
                }
            }
        }
    }

    /**
     * A matvec group (decode's fused Q/K/V and gate/up) writes every row of every matrix as the scalar reference,
     * including a matrix cut into several chunks with a partial last one, split over threads, and a type that uses sums of x.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_K", "F16"})
    void matvecGroupEqualsScalarReference(GgmlType type) {
        Random rnd = new Random(11 + type.ordinal());
        int cols = widths(type)[0];
        long perTask = Math.max(16, MatvecGroup.CHUNK_BYTES / type.byteSize(cols)) / 16 * 16;
        int[] rowCounts = {(int) (2 * perTask + 5), 37, 1};
        WeightMatrix[] ms = new WeightMatrix[rowCounts.length];
        float[][][] refs = new float[rowCounts.length][][];
        for (int i = 0; i < ms.length; i++) {
            byte[] bytes = RandomWeights.rows(type, rowCounts[i], cols, rnd);
            ms[i] = WeightMatrices.of(type, MemorySegment.ofArray(bytes), rowCounts[i], cols);
            refs[i] = referenceRows(type, bytes, rowCounts[i], cols);
        }
        MatvecGroup group = WeightMatrices.group(ms);
        for (ThreadPool p : new ThreadPool[] {pool, new WorkerPool(1)}) {
            float[] x = RandomWeights.floats(cols, rnd);
            float[][] outs = new float[ms.length][];
            for (int i = 0; i < ms.length; i++) {
                outs[i] = new float[rowCounts[i]];
                java.util.Arrays.fill(outs[i], Float.NaN);
            }
            group.matvec(x, outs, p);
            for (int i = 0; i < ms.length; i++) {
                for (int r = 0; r < rowCounts[i]; r++) {
                    int m = i, row = r;
                    assertClose(outs[i][r], refs[i][r], x, 0, () -> type + " group matrix " + m + " row " + row);
                }
            }
        }
        WeightMatrix narrow = WeightMatrices.of(type, MemorySegment.ofArray(RandomWeights.rows(type, 2,
                cols * 2, rnd)), 2, cols * 2);
        assertThatThrownBy(() -> WeightMatrices.group(ms[0], narrow)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("share their width");
    }

    /**
     * Cross-check with the gguf package's independent dequantizers on realistic blocks (its ggml reference
     * quantizers applied to Gaussian weights): rows bit-identical, products within the reference tolerance.
     */
    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void agreesWithGgufReferenceCodecs(GgmlType type) {
        Random rnd = new Random(7 + type.ordinal());
        int rows = 19, cols = 512, n = 9;
        float[] weights = new float[rows * cols];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (0.02 * rnd.nextGaussian());
        }
        byte[] bytes = Quantize.toBytes(type, weights);
        MemorySegment seg = MemorySegment.ofArray(bytes);
        WeightMatrix m = WeightMatrices.of(type, seg, rows, cols);
        float[][] ref = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            Dequantize.row(type, seg, r * type.byteSize(cols), ref[r], 0, cols);
            float[] row = new float[cols];
            m.dequantizeRow(r, row, 0);
            assertThat(row).as("%s row %d", type, r).containsExactly(ref[r]);
        }
        float[] x = RandomWeights.floats(n * cols, rnd);
        float[] out = new float[n * rows];
        m.matmul(x, n, out, pool);
        float[] one = new float[rows];
        m.matvec(java.util.Arrays.copyOfRange(x, 0, cols), one, pool);
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rows; r++) {
                assertClose(out[t * rows + r], ref[r], x, t * cols, () -> type + " matmul vs gguf reference");
            }
        }
        for (int r = 0; r < rows; r++) {
            assertClose(one[r], ref[r], x, 0, () -> type + " matvec vs gguf reference");
        }
    }

    @Test
    void rejectsUnsupportedTypesAndBadShapes() {
        MemorySegment seg = MemorySegment.ofArray(new byte[1024]);
        assertThatThrownBy(() -> WeightMatrices.of(GgmlType.IQ2_XS, seg, 1, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported weight type IQ2_XS");
        assertThatThrownBy(() -> WeightMatrices.of(GgmlType.Q8_0, seg, 1, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40 columns");
        assertThatThrownBy(() -> WeightMatrices.of(GgmlType.Q8_0, seg, 2, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 136 bytes");
        TensorInfo t = new TensorInfo("blk.0.ffn_down.weight", new long[] {256, 4}, GgmlType.Q3_K, 0);
        WeightMatrix ok = WeightMatrices.of(t, MemorySegment.ofArray(new byte[4 * 110]));
        assertThat(ok.rows()).isEqualTo(4);
        assertThat(ok.cols()).isEqualTo(256);
        TensorInfo bad = new TensorInfo("blk.0.attn_q.weight", new long[] {256, 4}, GgmlType.IQ4_XS, 0);
        assertThatThrownBy(() -> WeightMatrices.of(bad, seg)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported weight type IQ4_XS").hasMessageContaining("blk.0.attn_q.weight");
    }

    static float[][] referenceRows(GgmlType type, byte[] bytes, int rows, int cols) {
        int rowBytes = (int) type.byteSize(cols);
        float[][] ref = new float[rows][];
        for (int r = 0; r < rows; r++) {
            ref[r] = ReferenceDequantizer.dequantize(type, bytes, r * rowBytes, cols);
        }
        return ref;
    }

    /**
     * fp32 accumulation of {@code cols} products in any order stays within a few ulps of the sum of magnitudes;
     * 1e-5 of that sum is tight for these widths yet independent of summation order.
     */
    static void assertClose(float got, float[] w, float[] x, int xOff, java.util.function.Supplier<String> what) {
        double dot = 0, mag = 0;
        for (int k = 0; k < w.length; k++) {
            double p = (double) w[k] * x[xOff + k];
            dot += p;
            mag += Math.abs(p);
        }
        double tol = 1e-5 * mag + 1e-30;
        if (!(Math.abs(got - dot) <= tol)) {
            throw new AssertionError(what.get() + ": got " + got + ", reference " + dot + " (tolerance " + tol + ")");
        }
    }
}
