package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.BYTES;
import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.INTS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
import static dev.cairn.tensor.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/** Q4_1 block of 32: {@code d}, {@code m} (fp16), {@code qs[16]} (nibbles as in Q4_0); x = d * q + m. */
final class Q4_1Format extends WeightFormat {
    static final int QK = 32;
    static final int QS = 4;

    Q4_1Format() {
        super(GgmlType.Q4_1);
    }

    /** d * sum(q x) + m * sum(x), both sums kept in vectors. */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(FLOATS), accm = acc;
        for (int b = 0; b < count; b += QK, at += 20) {
            int xi = xOff + b;
            FloatVector s = FloatVector.zero(FLOATS);
            FloatVector sx = FloatVector.zero(FLOATS);
            for (int j = 0; j < QK / 2; j += FLOAT_LANES) {
                // widened before the nibble split: x86 has no byte-lane shifts
                IntVector q = (IntVector) ByteVector.fromMemorySegment(BYTES, w, at + QS + j, LE).convertShape(B2I, INTS, 0);
                FloatVector x0 = FloatVector.fromArray(FLOATS, x, xi + j);
                FloatVector x1 = FloatVector.fromArray(FLOATS, x, xi + QK / 2 + j);
                s = ((FloatVector) q.and(0xF).convert(I2F, 0)).fma(x0, s);
                s = ((FloatVector) q.lanewise(LSHR, 4).and(0xF).convert(I2F, 0)).fma(x1, s);
                sx = sx.add(x0).add(x1);
            }
            acc = s.fma(FloatVector.broadcast(FLOATS, fp16(w, at)), acc);
            accm = sx.fma(FloatVector.broadcast(FLOATS, fp16(w, at + 2)), accm);
        }
        return acc.add(accm).reduceLanes(ADD);
    }
}
