package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** Q5_1 block of 32: {@code d}, {@code m} (fp16), {@code qh} (32 bits), {@code qs[16]}; x = d * q + m. */
final class Q5_1Format extends WeightFormat {
    static final int QK = 32;
    static final int QH = 4;
    static final int QS = 8;

    Q5_1Format() {
        super(GgmlType.Q5_1);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 24) {
            float d = fp16(w, at);
            float m = fp16(w, at + 2);
            int qh = w.get(LE_INT, at + QH);
            int y = dstOff + b;
            for (int j = 0; j < QK / 2; j++) {
                int q = u8(w, at + QS + j);
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                dst[y + j] = ((q & 0xF) | h0) * d + m;
                dst[y + j + QK / 2] = ((q >>> 4) | h1) * d + m;
            }
        }
    }
}
