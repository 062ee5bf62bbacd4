package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0 block of 32: {@code d} (fp16), {@code qs[32]} (int8); x = d * q. */
final class Q8_0Format extends WeightFormat {
    static final int QK = 32;
    static final int QS = 2;

    Q8_0Format() {
        super(GgmlType.Q8_0);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        if (Lanes.FUSED) {
            dequantizeLanes(w, at, count, dst, dstOff);
            return;
        }
        for (int b = 0; b < count; b += QK, at += 34) {
            float d = fp16(w, at);
            for (int j = 0; j < QK; j++) {
                dst[dstOff + b + j] = w.get(BYTE, at + QS + j) * d;
            }
        }
    }

    /** The same products as the scalar loop above, L lanes at a time. */
    private static void dequantizeLanes(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 34) {
            FloatVector d = FloatVector.broadcast(Lanes.F, fp16(w, at));
            for (int j = 0; j < QK; j += Lanes.L) {
                ((FloatVector) (ByteVector.fromMemorySegment(Lanes.B, w, at + QS + j, Lanes.LE)).convertShape(VectorOperators.B2F, Lanes.F, 0)).mul(d).intoArray(dst, dstOff + b + j);
            }
        }
    }

    /** Per block: sum q * x over the block in a vector, then one FMA with d. */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!Lanes.FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(Lanes.F);
        for (int b = 0; b < count; b += QK, at += 34) {
            int xi = xOff + b;
            FloatVector s = ((FloatVector) (ByteVector.fromMemorySegment(Lanes.B, w, at + QS, Lanes.LE)).convertShape(VectorOperators.B2F, Lanes.F, 0)).mul(FloatVector.fromArray(Lanes.F, x, xi));
            for (int j = Lanes.L; j < QK; j += Lanes.L) {
                s = ((FloatVector) (ByteVector.fromMemorySegment(Lanes.B, w, at + QS + j, Lanes.LE)).convertShape(VectorOperators.B2F, Lanes.F, 0)).fma(FloatVector.fromArray(Lanes.F, x, xi + j), s);
            }
            acc = s.fma(FloatVector.broadcast(Lanes.F, fp16(w, at)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
