package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** Q4_1: 32 values as 4-bit q times fp16 scale plus fp16 min (20 bytes): d, m, qs[16]. */
final class Q4_1Codec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        for (int b = 0; b < blocks; b++, xo += 32, yo += 20) {
            float min = BlockRange.min(x, xo, 32);
            float max = BlockRange.max(x, xo, 32);
            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            Bytes.putHalf(y, yo + 2, min);
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, (byte) (int) ((x[xo + j] - min) * id + 0.5f));
                int q1 = Math.min(15, (byte) (int) ((x[xo + 16 + j] - min) * id + 0.5f));
                Bytes.put8(y, yo + 4 + j, (q0 & 0xff) | (q1 << 4));
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 20, yo += 32) {
            float d = Bytes.half(x, xo);
            float m = Bytes.half(x, xo + 2);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(x, xo + 4 + j);
                y[yo + j] = (q & 0xF) * d + m;
                y[yo + 16 + j] = (q >> 4) * d + m;
            }
        }
    }
}
