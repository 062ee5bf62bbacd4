package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** Q4_0: 32 values as 4-bit (q - 8) times one fp16 scale (18 bytes): d, qs[16] (low nibbles first half). */
final class Q4_0Codec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        for (int b = 0; b < blocks; b++, xo += 32, yo += 18) {
            float max = BlockRange.signedAbsMax(x, xo, 32);
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            for (int j = 0; j < 16; j++) {
                // (int8_t)(x + 8.5f) truncates toward zero, as the C cast does
                int q0 = Math.min(15, (byte) (int) (x[xo + j] * id + 8.5f));
                int q1 = Math.min(15, (byte) (int) (x[xo + 16 + j] * id + 8.5f));
                Bytes.put8(y, yo + 2 + j, (q0 & 0xff) | (q1 << 4));
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 18, yo += 32) {
            float d = Bytes.half(x, xo);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(x, xo + 2 + j);
                y[yo + j] = ((q & 0xF) - 8) * d;
                y[yo + 16 + j] = ((q >> 4) - 8) * d;
            }
        }
    }
}
