package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** Q4_1 block of 32: {@code d}, {@code m} (fp16), {@code qs[16]} (nibbles as in Q4_0); x = d * q + m. */
final class Q4_1Format extends WeightFormat {
    static final int QK = 32;
    static final int QS = 4;

    Q4_1Format() {
        super(GgmlType.Q4_1);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 20) {
            float d = fp16(w, at);
            float m = fp16(w, at + 2);
            int y = dstOff + b;
            for (int j = 0; j < QK / 2; j++) {
                int q = u8(w, at + QS + j);
                dst[y + j] = (q & 0xF) * d + m;
                dst[y + j + QK / 2] = (q >>> 4) * d + m;
            }
        }
    }
}
