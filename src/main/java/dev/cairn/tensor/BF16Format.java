package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

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

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!Lanes.FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(Lanes.F);
        int i = 0;
        for (int bound = Lanes.F.loopBound(count); i < bound; i += Lanes.L) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(Lanes.S, w, at + 2L * i, Lanes.LE)
                    .convertShape(VectorOperators.S2I, Lanes.I, 0);
            acc = h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                    .fma(FloatVector.fromArray(Lanes.F, x, xOff + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += Float.intBitsToFloat(w.get(LE_SHORT, at + 2L * i) << 16) * x[xOff + i];
        }
        return sum;
    }
}
