package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.INTS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
import static dev.cairn.tensor.Lanes.LE;
import static dev.cairn.tensor.Lanes.SHORTS;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.S2I;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/** F16: IEEE half precision. */
final class F16Format extends WeightFormat {
    F16Format() {
        super(GgmlType.F16);
    }

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(FLOATS);
        int i = 0;
        for (int bound = FLOATS.loopBound(count); i < bound; i += FLOAT_LANES) {
            // fp16 bits moved into fp32 position and rescaled by 2^112 (exact for normals and subnormals);
            // infinity and NaN keep an all-ones exponent instead.
            IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORTS, w, at + 2L * i, LE)
                    .convertShape(S2I, INTS, 0);
            IntVector magnitude = h.and(0x7FFF).lanewise(LSHL, 13);
            FloatVector f = magnitude.reinterpretAsFloats().mul(0x1p112f).blend(
                    magnitude.or(0x7F800000).reinterpretAsFloats(),
                    magnitude.compare(GE, 0x0F800000).cast(FLOATS));
            f = f.reinterpretAsInts().or(h.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            acc = f.fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc);
        }
        float sum = acc.reduceLanes(ADD);
        for (; i < count; i++) {
            sum += Float.float16ToFloat(w.get(LE_SHORT, at + 2L * i)) * x[xOff + i];
        }
        return sum;
    }
}
