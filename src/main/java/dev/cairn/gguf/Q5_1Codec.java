package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** Q5_1: 32 values as 5-bit q times fp16 scale plus fp16 min (24 bytes): d, m, qh (u32), qs[16]. */
final class Q5_1Codec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        for (int b = 0; b < blocks; b++, xo += 32, yo += 24) {
            float min = BlockRange.min(x, xo, 32);
            float max = BlockRange.max(x, xo, 32);
            float d = (max - min) / 31;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            Bytes.putHalf(y, yo + 2, min);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = ((int) ((x[xo + j] - min) * id + 0.5f)) & 0xff;
                int q1 = ((int) ((x[xo + 16 + j] - min) * id + 0.5f)) & 0xff;
                Bytes.put8(y, yo + 8 + j, (q0 & 0x0F) | ((q1 & 0x0F) << 4));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            y.set(Bytes.I32, yo + 4, qh);
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 24, yo += 32) {
            float d = Bytes.half(x, xo);
            float m = Bytes.half(x, xo + 2);
            int qh = x.get(Bytes.I32, xo + 4);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(x, xo + 8 + j);
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                y[yo + j] = ((q & 0x0F) | h0) * d + m;
                y[yo + 16 + j] = ((q >> 4) | h1) * d + m;
            }
        }
    }
}
