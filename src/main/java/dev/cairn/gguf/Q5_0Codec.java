package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** Q5_0: 32 values as 5-bit (q - 16) times fp16 scale (22 bytes): d, qh (u32 of fifth bits), qs[16]. */
final class Q5_0Codec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        for (int b = 0; b < blocks; b++, xo += 32, yo += 22) {
            float max = BlockRange.signedAbsMax(x, xo, 32);
            float d = max / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(31, (byte) (int) (x[xo + j] * id + 16.5f)) & 0xff;
                int q1 = Math.min(31, (byte) (int) (x[xo + 16 + j] * id + 16.5f)) & 0xff;
                Bytes.put8(y, yo + 6 + j, (q0 & 0x0F) | ((q1 & 0x0F) << 4));
                qh |= ((q0 & 0x10) >>> 4) << j;
                qh |= ((q1 & 0x10) >>> 4) << (j + 16);
            }
            y.set(Bytes.I32, yo + 2, qh);
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 22, yo += 32) {
            float d = Bytes.half(x, xo);
            int qh = x.get(Bytes.I32, xo + 2);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(x, xo + 6 + j);
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                y[yo + j] = (((q & 0x0F) | h0) - 16) * d;
                y[yo + 16 + j] = (((q >> 4) | h1) - 16) * d;
            }
        }
    }
}
