package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.BYTES;
import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.INTS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
import static dev.cairn.tensor.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;

/**
 * Q5_0 block of 32: {@code d} (fp16), {@code qh} (32 bits: bit e is element e's fifth bit), {@code qs[16]} (nibbles
 * as in Q4_0); x = d * (q - 16).
 */
final class Q5_0Format extends WeightFormat {
    static final int QK = 32;
    static final int QH = 2;
    static final int QS = 6;

    Q5_0Format() {
        super(GgmlType.Q5_0);
    }

    /** The fifth bits become a lane mask (bit e of qh is lane e) that adds 16 to the converted nibbles. */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(FLOATS);
        for (int b = 0; b < count; b += QK, at += 22) {
            int xi = xOff + b;
            long qh = w.get(LE_INT, at + QH) & 0xFFFFFFFFL;
            FloatVector s = FloatVector.zero(FLOATS);
            for (int j = 0; j < QK / 2; j += FLOAT_LANES) {
                // widened before the nibble split: x86 has no byte-lane shifts
                IntVector q = (IntVector) ByteVector.fromMemorySegment(BYTES, w, at + QS + j, LE).convertShape(B2I, INTS, 0);
                FloatVector q0 = ((FloatVector) q.and(0xF).convert(I2F, 0))
                        .add(16f, VectorMask.fromLong(FLOATS, qh >>> j)).sub(16f);
                FloatVector q1 = ((FloatVector) q.lanewise(LSHR, 4).and(0xF).convert(I2F, 0))
                        .add(16f, VectorMask.fromLong(FLOATS, qh >>> (QK / 2 + j))).sub(16f);
                s = q0.fma(FloatVector.fromArray(FLOATS, x, xi + j), s);
                s = q1.fma(FloatVector.fromArray(FLOATS, x, xi + QK / 2 + j), s);
            }
            acc = s.fma(FloatVector.broadcast(FLOATS, fp16(w, at)), acc);
        }
        return acc.reduceLanes(ADD);
    }
}
