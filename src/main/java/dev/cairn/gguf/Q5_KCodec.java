package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.QK_K;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: like Q4_K plus a fifth bit per value (176 bytes): d, dmin, scales[12], qh[32], qs[128].
 * Bit 2k / 2k+1 of qh[l] is the high bit of value l / l+32 of the k-th group of 64.
 */
final class Q5_KCodec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        SixBitScales scales = new SixBitScales(31, -0.5f, 15);
        int[] L = scales.levels;
        int[] high = new int[32];
        for (int b = 0; b < blocks; b++, xo += QK_K, yo += 176) {
            scales.quantize(x, xo, y, yo);
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
