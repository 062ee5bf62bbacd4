package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.QK_K;
import static dev.cairn.gguf.KQuants.nearestInt;

import java.lang.foreign.MemorySegment;

/**
 * Q3_K: super-blocks of 256 = 16 sub-blocks of 16 with signed 6-bit scales (110 bytes): hmask[32] (third bit),
 * qs[64] (low 2 bits), scales[12] (low nibbles in bytes 0-7, high 2 bits in 8-11), d (fp16).
 */
final class Q3_KCodec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        int[] L = new int[QK_K];
        float[] scales = new float[16];
        int[] packed = new int[12];
        int[] hmask = new int[32];
        for (int b = 0; b < blocks; b++, xo += QK_K, yo += 110) {
            float maxScale = 0;
            float amax = 0;
            for (int j = 0; j < 16; ++j) {
                scales[j] = KQuants.makeQ3(16, 4, x, xo + 16 * j, L, 16 * j);
                float scale = Math.abs(scales[j]);
                if (scale > amax) {
                    amax = scale;
                    maxScale = scales[j];
                }
            }
            java.util.Arrays.fill(packed, 0);
            if (maxScale != 0) {
                float iscale = -32.f / maxScale;
                for (int j = 0; j < 16; ++j) {
                    int l = (byte) nearestInt(iscale * scales[j]);
                    l = Math.max(-32, Math.min(31, l)) + 32;
                    if (j < 8) {
                        packed[j] = l & 0xF;
                    } else {
                        packed[j - 8] |= (l & 0xF) << 4;
                    }
                    l >>= 4;
                    packed[j % 4 + 8] |= l << (2 * (j / 4));
                }
                Bytes.putHalf(y, yo + 108, 1 / iscale);
            } else {
                Bytes.putHalf(y, yo + 108, 0.f);
            }
            for (int j = 0; j < 12; j++) {
                Bytes.put8(y, yo + 96 + j, packed[j]);
            }
            float dAll = Bytes.half(y, yo + 108);
            for (int j = 0; j < 16; ++j) {
                int sc = j < 8 ? packed[j] & 0xF : (packed[j - 8] & 0xFF) >> 4;
                sc = (sc | (((packed[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32;
                float d = dAll * sc;
                if (d == 0) {
                    continue;
                }
                for (int ii = 0; ii < 16; ++ii) {
                    int l = nearestInt(x[xo + 16 * j + ii] / d);
                    L[16 * j + ii] = Math.max(-4, Math.min(3, l)) + 4;
                }
            }
            java.util.Arrays.fill(hmask, 0);
            int m = 0;
            int hm = 1;
            for (int j = 0; j < QK_K; ++j) {
                if (L[j] > 3) {
                    hmask[m] |= hm;
                    L[j] -= 4;
                }
                if (++m == QK_K / 8) {
                    m = 0;
                    hm <<= 1;
                }
            }
            for (int j = 0; j < 32; j++) {
                Bytes.put8(y, yo + j, hmask[j]);
            }
            for (int j = 0; j < QK_K; j += 128) {
                for (int l = 0; l < 32; ++l) {
                    Bytes.put8(y, yo + 32 + j / 4 + l, L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
                }
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        int[] scales = new int[16];
        for (int b = 0; b < blocks; b++, xo += 110) {
            float dAll = Bytes.half(x, xo + 108);
            for (int j = 0; j < 16; j++) {
                int low = j < 8 ? Bytes.u8(x, xo + 96 + j) & 0xF : Bytes.u8(x, xo + 96 + j - 8) >> 4;
                int high = (Bytes.u8(x, xo + 96 + 8 + j % 4) >> (2 * (j / 4))) & 3;
                scales[j] = (low | (high << 4)) - 32;
            }
            long q = xo + 32;
            int is = 0;
            int m = 1;
            for (int n = 0; n < QK_K; n += 128, q += 32) {
                for (int shift = 0; shift < 8; shift += 2, m <<= 1) {
                    float dl = dAll * scales[is++];
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * (((Bytes.u8(x, q + l) >> shift) & 3) - ((Bytes.u8(x, xo + l) & m) != 0 ? 0 : 4));
                    }
                    dl = dAll * scales[is++];
                    for (int l = 0; l < 16; ++l) {
                        y[yo++] = dl * (((Bytes.u8(x, q + l + 16) >> shift) & 3) - ((Bytes.u8(x, xo + l + 16) & m) != 0 ? 0 : 4));
                    }
                }
            }
        }
    }
}
