package dev.cairn.model;

/**
 * Rotary position embedding as ggml computes it: pair i of a head turns by
 * {@code pos * theta^(-2i/dims) / freqFactors[i]}, interpolated by {@code freqScale}; dimensions from {@code dims} on
 * are left alone. With YaRN ({@code extFactor} 1) the low-frequency pairs between the correction dims are blended
 * back towards the unscaled angle and every angle's cos/sin is scaled by {@code 1 + 0.1 ln(1/freqScale)}.
 *
 * @param dims        rotated dimensions per head ({@code rope.dimension_count}, default the head dim)
 * @param freqScale   1 / scaling factor (1 without scaling)
 * @param freqFactors per-pair divisors (Llama 3's {@code rope_freqs.weight}) or null
 * @param neox        rotate (i, i + dims/2) instead of adjacent pairs (2i, 2i+1)
 * @param extFactor   YaRN extrapolation mix, 0 for plain (linear) scaling
 * @param corrLow     first YaRN correction dim
 * @param corrHigh    last YaRN correction dim
 * @param attnFactor  magnitude factor on cos/sin (1 unless the file sets one)
 */
record Rope(int dims, float theta, float freqScale, float[] freqFactors, boolean neox,
            float extFactor, float corrLow, float corrHigh, float attnFactor) {

    static Rope plain(int dims, float theta, float freqScale, float[] freqFactors, boolean neox) {
        return new Rope(dims, theta, freqScale, freqFactors, neox, 0f, 0f, 0f, 1f);
    }

    /** YaRN as llama.cpp sets it up (beta_fast 32, beta_slow 1, ext_factor 1). */
    static Rope yarn(int dims, float theta, float freqScale, float[] freqFactors, boolean neox, int originalContext,
                     float attnFactor) {
        float low = (float) Math.floor(corrDim(dims, originalContext, 32f, theta));
        float high = (float) Math.ceil(corrDim(dims, originalContext, 1f, theta));
        return new Rope(dims, theta, freqScale, freqFactors, neox, 1f, Math.max(0, low), Math.min(dims - 1, high), attnFactor);
    }

    /** ggml_rope_yarn_corr_dim: the dim whose wavelength spans {@code rotations} turns over the original context. */
    private static float corrDim(int dims, int originalContext, float rotations, float base) {
        return dims * (float) Math.log(originalContext / (rotations * 2 * (float) Math.PI)) / (2 * (float) Math.log(base));
    }

    /**
     * Fills {@code cos} and {@code sin} ([count][dims/2]) for positions {@code pos0 .. pos0+count}. The angle is
     * stepped by repeated float multiplication, as ggml's rope cache does, so it matches llama.cpp bit for bit
     * up to cos/sin rounding.
     */
    void table(int pos0, int count, float[] cos, float[] sin) {
        int half = dims / 2;
        float thetaScale = (float) Math.pow(theta, -2.0f / dims); // powf(base, -2.0f/n_dims) in ggml
        float mscale = extFactor != 0 ? attnFactor * (1.0f + 0.1f * (float) Math.log(1.0f / freqScale)) : attnFactor;
        for (int t = 0; t < count; t++) {
            float angle = pos0 + t;
            for (int i = 0; i < half; i++) {
                float extrap = freqFactors == null ? angle : angle / freqFactors[i];
                float a = freqScale * extrap;
                if (extFactor != 0) {
                    float ramp = ramp(i) * extFactor;
                    a = a * (1 - ramp) + extrap * ramp;
                }
                cos[t * half + i] = (float) Math.cos(a) * mscale;
                sin[t * half + i] = (float) Math.sin(a) * mscale;
                angle *= thetaScale;
            }
        }
    }

    /** rope_yarn_ramp: 1 below the low correction dim, 0 above the high one, linear between. */
    private float ramp(int pair) {
        float y = (pair - corrLow) / Math.max(0.001f, corrHigh - corrLow);
        return 1 - Math.min(1, Math.max(0, y));
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
