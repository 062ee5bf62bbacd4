package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.BYTES;
import static dev.cairn.tensor.Lanes.BYTES_128;
import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.INTS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
import static dev.cairn.tensor.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

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
        super.dequantize(w, at, count, dst, dstOff);
    }

    /** The same products as the reference codec (GgmlType.dequantize), FLOAT_LANES at a time. */
    private static void dequantizeLanes(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 18) {
            FloatVector d = FloatVector.broadcast(FLOATS, fp16(w, at));
            for (int j = 0; j < QK / 2; j += FLOAT_LANES) {
                ByteVector q = ByteVector.fromMemorySegment(BYTES, w, at + QS + j, LE);
                ((FloatVector) (q.and((byte) 0xF)).convertShape(B2F, FLOATS, 0)).sub(8f).mul(d)
                        .intoArray(dst, dstOff + b + j);
                ((FloatVector) (q.lanewise(LSHR, 4)).convertShape(B2F, FLOATS, 0)).sub(8f).mul(d)
                        .intoArray(dst, dstOff + b + QK / 2 + j);
            }
        }
    }

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        // Bytes widened to int lanes before the nibble split (x86 has no byte-lane shifts); with 256-bit vectors one
        // 16-byte load widened in two parts (both faster at either width: docs/performance.md).
        FloatVector acc = FloatVector.zero(FLOATS);
        if (FLOAT_LANES == 8) {
            for (int b = 0; b < count; b += QK, at += 18) {
                int xi = xOff + b;
                ByteVector q = ByteVector.fromMemorySegment(BYTES_128, w, at + QS, LE);
                IntVector q0 = (IntVector) q.convertShape(B2I, INTS, 0);
                IntVector q1 = (IntVector) q.convertShape(B2I, INTS, 1);
                FloatVector s = ((FloatVector) q0.and(0xF).convert(I2F, 0)).sub(8f)
                        .mul(FloatVector.fromArray(FLOATS, x, xi));
                s = ((FloatVector) q1.and(0xF).convert(I2F, 0)).sub(8f).fma(FloatVector.fromArray(FLOATS, x, xi + 8), s);
                s = ((FloatVector) q0.lanewise(LSHR, 4).and(0xF).convert(I2F, 0)).sub(8f)
                        .fma(FloatVector.fromArray(FLOATS, x, xi + 16), s);
                s = ((FloatVector) q1.lanewise(LSHR, 4).and(0xF).convert(I2F, 0)).sub(8f)
                        .fma(FloatVector.fromArray(FLOATS, x, xi + 24), s);
                acc = s.fma(FloatVector.broadcast(FLOATS, fp16(w, at)), acc);
            }
            return acc.reduceLanes(ADD);
        }
        for (int b = 0; b < count; b += QK, at += 18) {
            int xi = xOff + b;
            FloatVector s = FloatVector.zero(FLOATS);
            for (int j = 0; j < QK / 2; j += FLOAT_LANES) {
                IntVector q = (IntVector) ByteVector.fromMemorySegment(BYTES, w, at + QS + j, LE).convertShape(B2I, INTS, 0);
                s = ((FloatVector) q.and(0xF).convert(I2F, 0)).sub(8f).fma(FloatVector.fromArray(FLOATS, x, xi + j), s);
                s = ((FloatVector) q.lanewise(LSHR, 4).and(0xF).convert(I2F, 0)).sub(8f)
                        .fma(FloatVector.fromArray(FLOATS, x, xi + QK / 2 + j), s);
            }
            acc = s.fma(FloatVector.broadcast(FLOATS, fp16(w, at)), acc);
        }
        return acc.reduceLanes(ADD);
    }
}
