package dev.cairn.model;

/**
 * Rotary position embedding as ggml computes it: pair i of a head turns by
 * {@code pos * freqScale * theta^(-2i/dims) / freqFactors[i]}; dimensions from {@code dims} on are left alone.
 *
 * @param dims        rotated dimensions per head ({@code rope.dimension_count}, default the head dim)
 * @param freqScale   1 / linear scaling factor
 * @param freqFactors per-pair divisors (Llama 3's {@code rope_freqs.weight}) or null
 * @param neox        rotate (i, i + dims/2) instead of adjacent pairs (2i, 2i+1)
 */
record Rope(int dims, float theta, float freqScale, float[] freqFactors, boolean neox) {

    /**
     * Fills {@code cos} and {@code sin} ([count][dims/2]) for positions {@code pos0 .. pos0+count}. The angle is
     * stepped by repeated float multiplication, as ggml's rope cache does, so it matches llama.cpp bit for bit
     * up to cos/sin rounding.
     */
    void table(int pos0, int count, float[] cos, float[] sin) {
        int half = dims / 2;
        float thetaScale = (float) Math.pow(theta, -2.0f / dims); // powf(base, -2.0f/n_dims) in ggml
        for (int t = 0; t < count; t++) {
            float angle = pos0 + t;
            for (int i = 0; i < half; i++) {
                float a = freqScale * (freqFactors == null ? angle : angle / freqFactors[i]);
                cos[t * half + i] = (float) Math.cos(a);
                sin[t * half + i] = (float) Math.sin(a);
                angle *= thetaScale;
            }
        }
    }

    /** Rotates {@code heads} heads of {@code headDim} starting at {@code x[off]} for the position of row {@code t}. */
    void apply(float[] x, int off, int heads, int headDim, float[] cos, float[] sin, int t) {
        int half = dims / 2;
        int c0 = t * half;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            if (neox) {
                for (int i = 0; i < half; i++) {
                    float c = cos[c0 + i], s = sin[c0 + i];
                    float x0 = x[base + i], x1 = x[base + i + half];
                    x[base + i] = x0 * c - x1 * s;
                    x[base + i + half] = x0 * s + x1 * c;
                }
            } else {
                for (int i = 0; i < half; i++) {
                    float c = cos[c0 + i], s = sin[c0 + i];
                    float x0 = x[base + 2 * i], x1 = x[base + 2 * i + 1];
                    x[base + 2 * i] = x0 * c - x1 * s;
                    x[base + 2 * i + 1] = x0 * s + x1 * c;
                }
            }
        }
    }
}
