package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.INTS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
import static dev.cairn.tensor.Lanes.LE;
import static dev.cairn.tensor.Lanes.SHORTS;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.S2I;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/** BF16: the upper half of an fp32. */
final class BF16Format extends WeightFormat {
    BF16Format() {
        super(GgmlType.BF16);
    }

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(FLOATS);
        int i = 0;
        for (int bound = FLOATS.loopBound(count); i < bound; i += FLOAT_LANES) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORTS, w, at + 2L * i, LE)
                    .convertShape(S2I, INTS, 0);
            acc = h.lanewise(LSHL, 16).reinterpretAsFloats()
                    .fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc);
        }
        float sum = acc.reduceLanes(ADD);
        for (; i < count; i++) {
            sum += Float.intBitsToFloat(w.get(LE_SHORT, at + 2L * i) << 16) * x[xOff + i];
        }
        return sum;
    }
}
