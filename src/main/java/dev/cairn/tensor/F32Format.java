package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** F32: plain little-endian floats. */
final class F32Format extends WeightFormat {
    F32Format() {
        super(GgmlType.F32);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        MemorySegment.copy(w, LE_FLOAT, at, dst, dstOff, count);
    }
}
