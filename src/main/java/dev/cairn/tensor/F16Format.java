package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** F16: IEEE half precision. */
final class F16Format extends WeightFormat {
    F16Format() {
        super(GgmlType.F16);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int i = 0; i < count; i++) {
            dst[dstOff + i] = Float.float16ToFloat(w.get(LE_SHORT, at + 2L * i));
        }
    }
}
