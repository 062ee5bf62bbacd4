package dev.cairn.gguf;

/**
 * The range scans that ggml's reference quantizers open every block with. Kept as the same strict comparisons in
 * the same order as ggml-quants.c, so ties and NaNs pick the same element and outputs stay bit-identical.
 */
final class BlockRange {
    private BlockRange() {}

    /** The first of x[xo..xo+n) with the largest magnitude, sign kept (0 when all are zero). */
    static float signedAbsMax(float[] x, int xo, int n) {
        float amax = 0;
        float max = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        return max;
    }

    /** The smallest of x[xo..xo+n) (Float.MAX_VALUE when none is smaller). */
    static float min(float[] x, int xo, int n) {
        float min = Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (x[xo + i] < min) {
                min = x[xo + i];
            }
        }
        return min;
    }

    /** The largest of x[xo..xo+n) (-Float.MAX_VALUE when none is larger). */
    static float max(float[] x, int xo, int n) {
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (x[xo + i] > max) {
                max = x[xo + i];
            }
        }
        return max;
    }
}
