package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q2_K super-block of 256: {@code scales[16]} (low nibble scale, high nibble min, per 16 elements), {@code qs[64]}
 * (2-bit quants: each 128 elements use 32 bytes, four shifts), {@code d}, {@code dmin}; x = d * sc * q - dmin * m.
 */
final class Q2_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int QS = 16;
    static final int D = 80;

    Q2_KFormat() {
        super(GgmlType.Q2_K);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 84) {
            float d = fp16(w, at + D);
            float dmin = fp16(w, at + D + 2);
            int y = dstOff + b;
            int is = 0;
            for (int half = 0; half < 2; half++) {
                long q = at + QS + 32L * half;
                for (int shift = 0; shift < 8; shift += 2) {
                    for (int part = 0; part < 2; part++) {
                        int sc = u8(w, at + is++);
                        float dl = d * (sc & 0xF);
                        float ml = dmin * (sc >>> 4);
                        for (int l = 0; l < 16; l++) {
                            dst[y++] = dl * ((u8(w, q + 16 * part + l) >>> shift) & 3) - ml;
                        }
                    }
                }
            }
        }
    }
}
