package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.F;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.L;
import static jdk.incubator.vector.VectorOperators.ADD;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** F32: plain little-endian floats. */
final class F32Format extends WeightFormat {
    F32Format() {
        super(GgmlType.F32);
    }

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(count); i < bound; i += L) {
            acc = FloatVector.fromMemorySegment(F, w, at + 4L * i, java.nio.ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = acc.reduceLanes(ADD);
        for (; i < count; i++) {
            sum += w.get(LE_FLOAT, at + 4L * i) * x[xOff + i];
        }
        return sum;
    }
}
