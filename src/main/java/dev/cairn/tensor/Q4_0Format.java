package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.B;
import static dev.cairn.tensor.Lanes.F;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.L;
import static dev.cairn.tensor.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/** Q4_0 block of 32: {@code d} (fp16), {@code qs[16]}: element j in the low nibble, j+16 in the high; x = d * (q - 8). */
final class Q4_0Format extends WeightFormat {
    static final int QK = 32;
    static final int QS = 2;

    Q4_0Format() {
        super(GgmlType.Q4_0);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        if (FUSED) {
            dequantizeLanes(w, at, count, dst, dstOff);
            return;
        }
        for (int b = 0; b < count; b += QK, at += 18) {
            float d = fp16(w, at);
            int y = dstOff + b;
            for (int j = 0; j < QK / 2; j++) {
                int q = u8(w, at + QS + j);
                dst[y + j] = ((q & 0xF) - 8) * d;
                dst[y + j + QK / 2] = ((q >>> 4) - 8) * d;
            }
        }
    }

    /** The same products as the scalar loop above, L lanes at a time. */
    private static void dequantizeLanes(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 18) {
            FloatVector d = FloatVector.broadcast(F, fp16(w, at));
            for (int j = 0; j < QK / 2; j += L) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, at + QS + j, LE);
                ((FloatVector) (q.and((byte) 0xF)).convertShape(B2F, F, 0)).sub(8f).mul(d)
                        .intoArray(dst, dstOff + b + j);
                ((FloatVector) (q.lanewise(LSHR, 4)).convertShape(B2F, F, 0)).sub(8f).mul(d)
                        .intoArray(dst, dstOff + b + QK / 2 + j);
            }
        }
    }

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < count; b += QK, at += 18) {
            int xi = xOff + b;
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < QK / 2; j += L) {
                ByteVector q = ByteVector.fromMemorySegment(B, w, at + QS + j, LE);
                s = ((FloatVector) (q.and((byte) 0xF)).convertShape(B2F, F, 0)).sub(8f)
                        .fma(FloatVector.fromArray(F, x, xi + j), s);
                s = ((FloatVector) (q.lanewise(LSHR, 4)).convertShape(B2F, F, 0)).sub(8f)
                        .fma(FloatVector.fromArray(F, x, xi + QK / 2 + j), s);
            }
            acc = s.fma(FloatVector.broadcast(F, fp16(w, at)), acc);
        }
        return acc.reduceLanes(ADD);
    }
}
