package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!Lanes.FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(Lanes.F);
        int i = 0;
        for (int bound = Lanes.F.loopBound(count); i < bound; i += Lanes.L) {
            acc = Lanes.halfs(w, at + 2L * i).fma(Lanes.x(x, xOff + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += Float.float16ToFloat(w.get(LE_SHORT, at + 2L * i)) * x[xOff + i];
        }
        return sum;
    }
}
