package dev.cairn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;

/** The vectorized causal attention kernel against a plain double-precision softmax attention on random data. */
class AttentionTest {
    /** head dim, query rows, cached positions: every code path (4-row groups, single rows, each head width). */
    static final int[][] CASES = {{64, 16, 0}, {64, 7, 33}, {64, 1, 200}, {128, 16, 100}, {128, 5, 0},
            {16, 16, 40}, {16, 3, 0}, {8, 13, 21}, {12, 9, 5}, {96, 16, 77}};

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return java.util.Arrays.stream(CASES).map(c -> org.junit.jupiter.params.provider.Arguments.of(c[0], c[1], c[2]));
    }

    @ParameterizedTest(name = "head dim {0}, {1} rows after {2} cached")
    @org.junit.jupiter.params.provider.MethodSource("cases")
    void matchesScalarReference(int headDim, int rows, int cached) {
        assertThat(worstError(headDim, rows, cached)).isLessThan(2e-5);
    }

    /**
     * An empty view of {@code capacity} positions: keys transposed with row stride {@code capacity}, and both arrays
     * starting past an offset, as views into a larger cache do.
     */
    static ArrayKvCache.HeadView headView(int headDim, int capacity, int keysOffset, int valuesOffset) {
        ArrayKvCache.HeadView kv = new ArrayKvCache.HeadView();
        kv.keys = new float[keysOffset + headDim * capacity];
        kv.keysOffset = keysOffset;
        kv.keysStride = capacity;
        kv.values = new float[valuesOffset + capacity * headDim];
        kv.valuesOffset = valuesOffset;
        return kv;
    }

    /** Runs the kernel on random data and returns its largest absolute difference from the reference. */
    static double worstError(int headDim, int rows, int cached) {
        Random r = new Random(headDim * 1000L + rows * 10L + cached);
        int end = cached + rows;
        int capacity = end + 11; // keys are read through a row stride larger than the positions in use
        ArrayKvCache.HeadView kv = headView(headDim, capacity, 3, 5);
        float[][] k = new float[end][headDim], v = new float[end][headDim];
        for (int p = 0; p < end; p++) {
            for (int d = 0; d < headDim; d++) {
                k[p][d] = (float) r.nextGaussian();
                v[p][d] = (float) r.nextGaussian();
                kv.keys[3 + d * capacity + p] = k[p][d];
                kv.values[5 + p * headDim + d] = v[p][d];
            }
        }
        int qStride = headDim * 3; // rows of a wider Q matrix, as in the model (several heads per token)
        float[] q = new float[rows * qStride + headDim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (2 * r.nextGaussian());
        }
        int qOff = headDim; // the second head of each token
        float[] out = new float[rows * qStride + headDim];
        new Attention(headDim).run(q, qOff, qStride, rows, cached + 1, kv, out, qOff, qStride,
                new float[Math.max(4, rows) * (end + 1)]);

        double worst = 0;
        for (int t = 0; t < rows; t++) {
            int lim = cached + t + 1;
            double[] w = new double[lim];
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < lim; p++) {
                double s = 0;
                for (int d = 0; d < headDim; d++) {
                    s += (double) q[qOff + t * qStride + d] * k[p][d];
                }
                w[p] = s / Math.sqrt(headDim);
                max = Math.max(max, w[p]);
            }
            double sum = 0;
            for (int p = 0; p < lim; p++) {
                w[p] = Math.exp(w[p] - max);
                sum += w[p];
            }
            for (int d = 0; d < headDim; d++) {
                double o = 0;
                for (int p = 0; p < lim; p++) {
                    o += w[p] / sum * v[p][d];
                }
                worst = Math.max(worst, Math.abs(o - out[qOff + t * qStride + d]));
            }
        }
        if (out[0] != 0) {
            return Double.POSITIVE_INFINITY; // wrote into another head's slot
        }
        return worst;
    }

    /**
     * Decode's grouped path: several query heads of one KV head at one position give, bit for bit, what {@link
     * Attention#run} gives each head alone (so decode keeps matching token-by-token prefill), for group sizes with
     * and without a remainder of four, head widths on each weighted-sum path, and limits below, at and past a vector
     * and a key block.
     */
    @ParameterizedTest(name = "head dim {0}, {1} heads, {2} positions")
    @org.junit.jupiter.params.provider.CsvSource({"64,8,1", "64,8,200", "64,5,17", "64,1,64", "64,4,65", "128,7,300",
            "48,6,33", "16,3,9", "12,9,40", "96,8,129"})
    void headsOfAGroupEqualEachHeadAlone(int headDim, int heads, int limit) {
        Random r = new Random(headDim * 7919L + heads * 31L + limit);
        int capacity = limit + 5;
        ArrayKvCache.HeadView kv = headView(headDim, capacity, 2, 7);
        for (int i = 0; i < kv.keys.length; i++) {
            kv.keys[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < kv.values.length; i++) {
            kv.values[i] = (float) r.nextGaussian();
        }
        int qOff = headDim; // heads after the first of a wider Q row
        float[] q = new float[(heads + 2) * headDim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (2 * r.nextGaussian());
        }
        Attention attention = new Attention(headDim);
        float[] grouped = new float[q.length];
        attention.runHeads(q, qOff, heads, limit, kv, grouped, qOff, new float[Math.max(4, heads) * limit]);
        float[] alone = new float[q.length];
        for (int h = 0; h < heads; h++) {
            int o = qOff + h * headDim;
            attention.run(q, o, headDim, 1, limit, kv, alone, o, headDim, new float[4 * (limit + 1)]);
        }
        assertThat(grouped).containsExactly(alone);
        assertThat(grouped[0]).isZero(); // nothing written outside the group's heads
        assertThat(grouped[qOff + heads * headDim]).isZero();
    }
}
