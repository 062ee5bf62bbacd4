package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** Q8_0: 32 values as int8 times one fp16 scale (34 bytes): d, qs[32]. */
final class Q8_0Codec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        for (int b = 0; b < blocks; b++, xo += 32, yo += 34) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[xo + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            for (int j = 0; j < 32; j++) {
                Bytes.put8(y, yo + 2 + j, Bytes.roundf(x[xo + j] * id));
            }
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 34, yo += 32) {
            float d = Bytes.half(x, xo);
            for (int j = 0; j < 32; j++) {
                y[yo + j] = Bytes.i8(x, xo + 2 + j) * d;
            }
        }
    }
}
