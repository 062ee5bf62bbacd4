package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Q8_0: 32 values as int8 times one fp16 scale (34 bytes): d, qs[32]. */
final class Q8_0Codec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        byte[] qs = new byte[32];
        for (int b = 0; b < blocks; b++, xo += 32, yo += 34) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[xo + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putHalf(y, yo, d);
            for (int j = 0; j < 32; j++) {
                qs[j] = (byte) Bytes.roundf(x[xo + j] * id);
            }
            MemorySegment.copy(qs, 0, y, ValueLayout.JAVA_BYTE, yo + 2, 32);
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
