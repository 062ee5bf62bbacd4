package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.QK_K;
import static dev.cairn.gguf.KQuants.nearestInt;

import java.lang.foreign.MemorySegment;

/**
 * The part quantize_row_q4_K_ref and quantize_row_q5_K_ref share: for each 32-value sub-block a scale and min from
 * make_qkx2_quants, those quantized to 6 bits and packed with fp16 d and dmin into the block header
 * (d, dmin, scales[12] at the block start), then every value's level (0..nmax) recomputed from the packed scales.
 * Holds its scratch arrays, so one instance serves one thread.
 */
final class SixBitScales {
    /** Levels of the last super-block, 0..nmax, in value order. */
    final int[] levels = new int[QK_K];
    private final int[] laux = new int[32];
    private final float[] weights = new float[32];
    private final float[] mins = new float[8];
    private final float[] scales = new float[8];
    private final float[] theMin = new float[1];
    private final int[] ls = new int[8];
    private final int[] lm = new int[8];
    private final int[] sm = new int[2];
    private final int nmax;
    private final float rmin;
    private final int nstep;

    /** Q4_K: nmax 15, rmin -1, 20 steps; Q5_K: nmax 31, rmin -0.5, 15 steps. */
    SixBitScales(int nmax, float rmin, int nstep) {
        this.nmax = nmax;
        this.rmin = rmin;
        this.nstep = nstep;
    }

    /** Quantizes the super-block at {@code x[xo..xo+256)}: writes its 16-byte header at {@code yo}, fills {@link #levels}. */
    void quantize(float[] x, int xo, MemorySegment y, long yo) {
        int[] L = levels;
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 8; ++j) {
            float sumX2 = 0;
            for (int l = 0; l < 32; ++l) {
                sumX2 += x[xo + 32 * j + l] * x[xo + 32 * j + l];
            }
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; ++l) {
                weights[l] = avX + Math.abs(x[xo + 32 * j + l]);
            }
            scales[j] = KQuants.makeQkx2(32, nmax, x, xo + 32 * j, weights, L, 32 * j, theMin, laux, rmin, 0.1f, nstep, false);
            mins[j] = theMin[0];
            if (scales[j] > maxScale) {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin) {
                maxMin = mins[j];
            }
        }
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        for (int j = 0; j < 8; ++j) {
            ls[j] = Math.min(63, nearestInt(invScale * scales[j]) & 0xff);
            lm[j] = Math.min(63, nearestInt(invMin * mins[j]) & 0xff);
        }
        KQuants.packScalesMins(ls, lm, y, yo + 4);
        Bytes.putHalf(y, yo, maxScale / 63.f);
        Bytes.putHalf(y, yo + 2, maxMin / 63.f);
        float dAll = Bytes.half(y, yo);
        float dminAll = Bytes.half(y, yo + 2);
        for (int j = 0; j < 8; ++j) {
            KQuants.scaleMinK4(j, y, yo + 4, sm);
            float d = dAll * sm[0];
            if (d == 0) {
                continue;
            }
            float dm = dminAll * sm[1];
            for (int ii = 0; ii < 32; ++ii) {
                int l = nearestInt((x[xo + 32 * j + ii] + dm) / d);
                L[32 * j + ii] = Math.max(0, Math.min(nmax, l));
            }
        }
    }
}
