package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.GROUP_MAX_EPS;
import static dev.cairn.gguf.KQuants.QK_K;
import static dev.cairn.gguf.KQuants.nearestInt;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: super-blocks of 256 = 16 sub-blocks of 16 with int8 scales (210 bytes): ql[128] (low 4 bits),
 * qh[64] (high 2 bits), scales[16], d (fp16). Values are (q - 32) * d * scale.
 */
final class Q6_KCodec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        int[] L = new int[QK_K];
        float[] scales = new float[16];
        for (int b = 0; b < blocks; b++, xo += QK_K, yo += 210) {
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int ib = 0; ib < 16; ++ib) {
                float scale = KQuants.makeQx(16, 32, x, xo + 16 * ib, L, 16 * ib);
                scales[ib] = scale;
                float abs = Math.abs(scale);
                if (abs > maxAbsScale) {
                    maxAbsScale = abs;
                    maxScale = scale;
                }
            }
            if (maxAbsScale < GROUP_MAX_EPS) {
                y.asSlice(yo, 210).fill((byte) 0);
                continue;
            }
            float iscale = -128.f / maxScale;
            Bytes.putHalf(y, yo + 208, 1 / iscale);
            for (int ib = 0; ib < 16; ++ib) {
                Bytes.put8(y, yo + 192 + ib, Math.min(127, nearestInt(iscale * scales[ib])));
            }
            float dAll = Bytes.half(y, yo + 208);
            for (int j = 0; j < 16; ++j) {
                float d = dAll * Bytes.i8(y, yo + 192 + j);
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt(x[xo + 16 * j + ii] / d);
                    L[16 * j + ii] = Math.max(-32, Math.min(31, l)) + 32;
                }
            }
            long ql = yo;
            long qh = yo + 128;
            for (int j = 0; j < QK_K; j += 128, ql += 64, qh += 32) {
                for (int l = 0; l < 32; ++l) {
                    int q1 = L[j + l] & 0xF;
                    int q2 = L[j + l + 32] & 0xF;
                    int q3 = L[j + l + 64] & 0xF;
                    int q4 = L[j + l + 96] & 0xF;
                    Bytes.put8(y, ql + l, q1 | (q3 << 4));
                    Bytes.put8(y, ql + l + 32, q2 | (q4 << 4));
                    Bytes.put8(y, qh + l, (L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4)
                            | ((L[j + l + 96] >> 4) << 6));
                }
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 210) {
            float d = Bytes.half(x, xo + 208);
            long ql = xo;
            long qh = xo + 128;
            long sc = xo + 192;
            for (int n = 0; n < QK_K; n += 128, yo += 128, ql += 64, qh += 32, sc += 8) {
                for (int l = 0; l < 32; ++l) {
                    int is = l / 16;
                    int h = Bytes.u8(x, qh + l);
                    int lo0 = Bytes.u8(x, ql + l);
                    int lo1 = Bytes.u8(x, ql + l + 32);
                    int q1 = ((lo0 & 0xF) | ((h & 3) << 4)) - 32;
                    int q2 = ((lo1 & 0xF) | (((h >> 2) & 3) << 4)) - 32;
                    int q3 = ((lo0 >> 4) | (((h >> 4) & 3) << 4)) - 32;
                    int q4 = ((lo1 >> 4) | (((h >> 6) & 3) << 4)) - 32;
                    y[yo + l] = d * Bytes.i8(x, sc + is) * q1;
                    y[yo + l + 32] = d * Bytes.i8(x, sc + is + 2) * q2;
                    y[yo + l + 64] = d * Bytes.i8(x, sc + is + 4) * q3;
                    y[yo + l + 96] = d * Bytes.i8(x, sc + is + 6) * q4;
                }
            }
        }
    }
}
