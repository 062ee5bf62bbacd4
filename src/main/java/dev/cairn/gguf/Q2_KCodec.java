package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.QK_K;
import static dev.cairn.gguf.KQuants.nearestInt;

import java.lang.foreign.MemorySegment;

/**
 * Q2_K: super-blocks of 256 = 16 sub-blocks of 16 with 4-bit scales and mins (84 bytes): scales[16] (scale low
 * nibble, min high nibble), qs[64] (2 bits each), d (fp16), dmin (fp16).
 */
final class Q2_KCodec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        int[] L = new int[QK_K];
        int[] laux = new int[16];
        float[] weights = new float[16];
        float[] mins = new float[16];
        float[] scales = new float[16];
        float[] theMin = new float[1];
        int[] sc = new int[16];
        final float q4scale = 15.f;
        for (int b = 0; b < blocks; b++, xo += QK_K, yo += 84) {
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < 16; ++j) {
                for (int l = 0; l < 16; ++l) {
                    weights[l] = Math.abs(x[xo + 16 * j + l]);
                }
                scales[j] = KQuants.makeQkx2(16, 3, x, xo + 16 * j, weights, L, 16 * j, theMin, laux, -0.5f, 0.1f, 15, true);
                mins[j] = theMin[0];
                if (scales[j] > maxScale) {
                    maxScale = scales[j];
                }
                if (mins[j] > maxMin) {
                    maxMin = mins[j];
                }
            }
            if (maxScale > 0) {
                float iscale = q4scale / maxScale;
                for (int j = 0; j < 16; ++j) {
                    sc[j] = nearestInt(iscale * scales[j]) & 0xFF;
                }
                Bytes.putHalf(y, yo + 80, maxScale / q4scale);
            } else {
                java.util.Arrays.fill(sc, 0);
                Bytes.putHalf(y, yo + 80, 0.f);
            }
            if (maxMin > 0) {
                float iscale = q4scale / maxMin;
                for (int j = 0; j < 16; ++j) {
                    sc[j] = (sc[j] | (nearestInt(iscale * mins[j]) << 4)) & 0xFF;
                }
                Bytes.putHalf(y, yo + 82, maxMin / q4scale);
            } else {
                Bytes.putHalf(y, yo + 82, 0.f);
            }
            float dAll = Bytes.half(y, yo + 80);
            float dminAll = Bytes.half(y, yo + 82);
            for (int j = 0; j < 16; ++j) {
                Bytes.put8(y, yo + j, sc[j]);
                float d = dAll * (sc[j] & 0xF);
                if (d == 0) {
                    continue;
                }
                float dm = dminAll * (sc[j] >> 4);
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt((x[xo + 16 * j + ii] + dm) / d);
                    L[16 * j + ii] = Math.max(0, Math.min(3, l));
                }
            }
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    Bytes.put8(y, yo + 16 + j / 4 + l, L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
                }
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 84) {
            float d = Bytes.half(x, xo + 80);
            float min = Bytes.half(x, xo + 82);
            long q = xo + 16;
            int is = 0;
            for (int n = 0; n < QK_K; n += 128, q += 32) {
                for (int shift = 0; shift < 8; shift += 2) {
                    int sc = Bytes.u8(x, xo + is++);
                    float dl = d * (sc & 0xF);
                    float ml = min * (sc >> 4);
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * ((Bytes.u8(x, q + l) >> shift) & 3) - ml;
                    }
                    sc = Bytes.u8(x, xo + is++);
                    dl = d * (sc & 0xF);
                    ml = min * (sc >> 4);
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * ((Bytes.u8(x, q + l + 16) >> shift) & 3) - ml;
                    }
                }
            }
        }
    }
}
