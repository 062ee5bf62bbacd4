package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.QK_K;
import static dev.cairn.gguf.KQuants.nearestInt;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: like Q4_K plus a fifth bit per value (176 bytes): d, dmin, scales[12], qh[32], qs[128].
 * Bit 2k / 2k+1 of qh[l] is the high bit of value l / l+32 of the k-th group of 64.
 */
final class Q5_KCodec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        int[] L = new int[QK_K];
        int[] laux = new int[32];
        float[] weights = new float[32];
        float[] mins = new float[8];
        float[] scales = new float[8];
        float[] theMin = new float[1];
        int[] ls = new int[8];
        int[] lm = new int[8];
        int[] sm = new int[2];
        int[] high = new int[32];
        for (int b = 0; b < blocks; b++, xo += QK_K, yo += 176) {
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
                scales[j] = KQuants.makeQkx2(32, 31, x, xo + 32 * j, weights, L, 32 * j, theMin, laux, -0.5f, 0.1f, 15, false);
                mins[j] = theMin[0];
                maxScale = Math.max(maxScale, scales[j]);
                maxMin = Math.max(maxMin, mins[j]);
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
                    L[32 * j + ii] = Math.max(0, Math.min(31, l));
                }
            }
            long qh = yo + 16;
            long ql = yo + 48;
            java.util.Arrays.fill(high, 0);
            int m1 = 1;
            int m2 = 2;
            for (int n = 0; n < QK_K; n += 64, ql += 32, m1 <<= 2, m2 <<= 2) {
                for (int j = 0; j < 32; ++j) {
                    int l1 = L[n + j];
                    if (l1 > 15) {
                        l1 -= 16;
                        high[j] |= m1;
                    }
                    int l2 = L[n + j + 32];
                    if (l2 > 15) {
                        l2 -= 16;
                        high[j] |= m2;
                    }
                    Bytes.put8(y, ql + j, l1 | (l2 << 4));
                }
            }
            for (int j = 0; j < 32; j++) {
                Bytes.put8(y, qh + j, high[j]);
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        int[] sm = new int[2];
        for (int b = 0; b < blocks; b++, xo += 176) {
            float d = Bytes.half(x, xo);
            float min = Bytes.half(x, xo + 2);
            long qh = xo + 16;
            long ql = xo + 48;
            int is = 0;
            int u1 = 1;
            int u2 = 2;
            for (int j = 0; j < QK_K; j += 64, ql += 32, is += 2, u1 <<= 2, u2 <<= 2) {
                KQuants.scaleMinK4(is, x, xo + 4, sm);
                float d1 = d * sm[0];
                float m1 = min * sm[1];
                KQuants.scaleMinK4(is + 1, x, xo + 4, sm);
                float d2 = d * sm[0];
                float m2 = min * sm[1];
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d1 * ((Bytes.u8(x, ql + l) & 0xF) + ((Bytes.u8(x, qh + l) & u1) != 0 ? 16 : 0)) - m1;
                }
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d2 * ((Bytes.u8(x, ql + l) >> 4) + ((Bytes.u8(x, qh + l) & u2) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }
}
