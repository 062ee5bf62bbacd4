package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** BF16: the upper half of an fp32. */
final class BF16Format extends WeightFormat {
    BF16Format() {
        super(GgmlType.BF16);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int i = 0; i < count; i++) {
            dst[dstOff + i] = Float.intBitsToFloat(w.get(LE_SHORT, at + 2L * i) << 16);
        }
    }
}
