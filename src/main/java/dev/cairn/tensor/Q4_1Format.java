package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_1 block of 32: {@code d}, {@code m} (fp16), {@code qs[16]} (nibbles as in Q4_0); x = d * q + m. */
final class Q4_1Format extends WeightFormat {
    static final int QK = 32;
    static final int QS = 4;

    Q4_1Format() {
        super(GgmlType.Q4_1);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 20) {
            float d = fp16(w, at);
            float m = fp16(w, at + 2);
            int y = dstOff + b;
            for (int j = 0; j < QK / 2; j++) {
                int q = u8(w, at + QS + j);
                dst[y + j] = (q & 0xF) * d + m;
                dst[y + j + QK / 2] = (q >>> 4) * d + m;
            }
        }
    }

    /** d * sum(q x) + m * sum(x), both sums kept in vectors. */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!Lanes.FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(Lanes.F), accm = acc;
        for (int b = 0; b < count; b += QK, at += 20) {
            int xi = xOff + b;
            FloatVector s = FloatVector.zero(Lanes.F);
            FloatVector sx = FloatVector.zero(Lanes.F);
            for (int j = 0; j < QK / 2; j += Lanes.L) {
                ByteVector q = ByteVector.fromMemorySegment(Lanes.B, w, at + QS + j, Lanes.LE);
                FloatVector x0 = FloatVector.fromArray(Lanes.F, x, xi + j);
                FloatVector x1 = FloatVector.fromArray(Lanes.F, x, xi + QK / 2 + j);
                s = ((FloatVector) (q.and((byte) 0xF)).convertShape(VectorOperators.B2F, Lanes.F, 0)).fma(x0, s);
                s = ((FloatVector) (q.lanewise(VectorOperators.LSHR, 4)).convertShape(VectorOperators.B2F, Lanes.F, 0)).fma(x1, s);
                sx = sx.add(x0).add(x1);
            }
            acc = s.fma(FloatVector.broadcast(Lanes.F, fp16(w, at)), acc);
            accm = sx.fma(FloatVector.broadcast(Lanes.F, fp16(w, at + 2)), accm);
        }
        return acc.add(accm).reduceLanes(VectorOperators.ADD);
    }
}
