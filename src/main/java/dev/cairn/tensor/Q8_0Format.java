package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** Q8_0 block of 32: {@code d} (fp16), {@code qs[32]} (int8); x = d * q. */
final class Q8_0Format extends WeightFormat {
    static final int QK = 32;
    static final int QS = 2;

    Q8_0Format() {
        super(GgmlType.Q8_0);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 34) {
            float d = fp16(w, at);
            for (int j = 0; j < QK; j++) {
                dst[dstOff + b + j] = w.get(BYTE, at + QS + j) * d;
            }
        }
    }
}
