package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.QK_K;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K: super-blocks of 256 = 8 sub-blocks of 32 with 6-bit scales and mins (144 bytes):
 * d (fp16), dmin (fp16), scales[12], qs[128] (each 64 values: 32 low nibbles then 32 high nibbles).
 */
final class Q4_KCodec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        SixBitScales scales = new SixBitScales(15, -1.f, 20);
        int[] L = scales.levels;
        for (int b = 0; b < blocks; b++, xo += QK_K, yo += 144) {
            scales.quantize(x, xo, y, yo);
            long q = yo + 16;
            for (int j = 0; j < QK_K; j += 64, q += 32) {
                for (int l = 0; l < 32; ++l) {
                    Bytes.put8(y, q + l, L[j + l] | (L[j + l + 32] << 4));
                }
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        int[] sm = new int[2];
        for (int b = 0; b < blocks; b++, xo += 144) {
            float d = Bytes.half(x, xo);
            float min = Bytes.half(x, xo + 2);
            long q = xo + 16;
            int is = 0;
            for (int j = 0; j < QK_K; j += 64, q += 32, is += 2) {
                KQuants.scaleMinK4(is, x, xo + 4, sm);
                float d1 = d * sm[0];
                float m1 = min * sm[1];
                KQuants.scaleMinK4(is + 1, x, xo + 4, sm);
                float d2 = d * sm[0];
                float m2 = min * sm[1];
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d1 * (Bytes.u8(x, q + l) & 0xF) - m1;
                }
                for (int l = 0; l < 32; ++l) {
                    y[yo++] = d2 * (Bytes.u8(x, q + l) >> 4) - m2;
                }
            }
        }
    }
}
