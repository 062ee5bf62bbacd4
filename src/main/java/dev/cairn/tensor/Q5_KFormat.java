package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q5_K super-block of 256: {@code d}, {@code dmin}, {@code scales[12]} (as Q4_K), {@code qh[32]} (fifth bits: bit 2j
 * of qh[l] for element l of sub-block 2j, bit 2j+1 for sub-block 2j+1), {@code qs[128]} (nibbles as Q4_K).
 */
final class Q5_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int SCALES = 4;
    static final int QH = 16;
    static final int QS = 48;

    Q5_KFormat() {
        super(GgmlType.Q5_K);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 176) {
            float d = fp16(w, at);
            float dmin = fp16(w, at + 2);
            int y = dstOff + b;
            for (int j = 0; j < 4; j++) {
                float d1 = d * Q4_KFormat.scale(w, at + SCALES, 2 * j);
                float m1 = dmin * Q4_KFormat.min(w, at + SCALES, 2 * j);
                float d2 = d * Q4_KFormat.scale(w, at + SCALES, 2 * j + 1);
                float m2 = dmin * Q4_KFormat.min(w, at + SCALES, 2 * j + 1);
                long qs = at + QS + 32L * j;
                for (int l = 0; l < 32; l++) {
                    int q = u8(w, qs + l);
                    int h = u8(w, at + QH + l) >>> (2 * j);
                    dst[y + 64 * j + l] = d1 * ((q & 0xF) | ((h & 1) << 4)) - m1;
                    dst[y + 64 * j + 32 + l] = d2 * ((q >>> 4) | ((h & 2) << 3)) - m2;
                }
            }
        }
    }
}
