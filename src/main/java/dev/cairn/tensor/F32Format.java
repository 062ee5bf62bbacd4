package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
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
        FloatVector acc = FloatVector.zero(FLOATS);
        int i = 0;
        for (int bound = FLOATS.loopBound(count); i < bound; i += FLOAT_LANES) {
            acc = FloatVector.fromMemorySegment(FLOATS, w, at + 4L * i, java.nio.ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc);
        }
        float sum = acc.reduceLanes(ADD);
        for (; i < count; i++) {
            sum += w.get(LE_FLOAT, at + 4L * i) * x[xOff + i];
        }
        return sum;
    }
}
