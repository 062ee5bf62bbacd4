package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Q4_K super-block of 256: {@code d}, {@code dmin} (fp16), {@code scales[12]} (eight 6-bit scale/min pairs),
 * {@code qs[128]}. Each 64 elements use 32 bytes of qs: low nibbles for sub-block 2j, high for 2j+1;
 * x = d * sc * q - dmin * m.
 */
final class Q4_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int SCALES = 4;
    static final int QS = 16;

    Q4_KFormat() {
        super(GgmlType.Q4_K);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 144) {
            float d = fp16(w, at);
            float dmin = fp16(w, at + 2);
            int y = dstOff + b;
            for (int j = 0; j < 4; j++) {
                float d1 = d * scale(w, at + SCALES, 2 * j);
                float m1 = dmin * min(w, at + SCALES, 2 * j);
                float d2 = d * scale(w, at + SCALES, 2 * j + 1);
                float m2 = dmin * min(w, at + SCALES, 2 * j + 1);
                long qs = at + QS + 32L * j;
                for (int l = 0; l < 32; l++) {
                    int q = u8(w, qs + l);
                    dst[y + 64 * j + l] = d1 * (q & 0xF) - m1;
                    dst[y + 64 * j + 32 + l] = d2 * (q >>> 4) - m2;
                }
            }
        }
    }

    /** 6-bit scale of sub-block {@code j} (ggml's get_scale_min_k4), shared with Q5_K. */
    static int scale(MemorySegment w, long scales, int j) {
        if (j < 4) {
            return u8(w, scales + j) & 63;
        }
        return (u8(w, scales + j + 4) & 0xF) | ((u8(w, scales + j - 4) >>> 6) << 4);
    }

    /** 6-bit min of sub-block {@code j}. */
    static int min(MemorySegment w, long scales, int j) {
        if (j < 4) {
            return u8(w, scales + j + 4) & 63;
        }
        return (u8(w, scales + j + 4) >>> 4) | ((u8(w, scales + j) >>> 6) << 4);
    }
}
