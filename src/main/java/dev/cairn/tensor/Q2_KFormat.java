package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.BYTES;
import static dev.cairn.tensor.Lanes.BYTES_128;
import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.INTS;
import static dev.cairn.tensor.Lanes.INTS_256;
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

/**
 * Q2_K super-block of 256: {@code scales[16]} (low nibble scale, high nibble min, per 16 elements), {@code qs[64]}
 * (2-bit quants: each 128 elements use 32 bytes, four shifts), {@code d}, {@code dmin}; x = d * sc * q - dmin * m.
 */
final class Q2_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int QS = 16;
    static final int D = 80;

    Q2_KFormat() {
        super(GgmlType.Q2_K);
    }

    /**
     * The whole row in one method, straight from the segment: bytes widened to int lanes before the shifts (x86 has
     * no byte-lane shifts), each 16 bytes of qs loaded once for their four 2-bit planes, four accumulators, and a
     * super-block's sixteen d*sc and dmin*m unpacked into small arrays. Each weight is formed as in
     * {@link #dequantize} (d*sc*q - dmin*m, one FMA) and then multiplied into its accumulator with x.
     */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc0 = FloatVector.zero(FLOATS), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        float[] sc = new float[16], mn = new float[16];
        for (int b = 0; b < count; b += QK, at += 84) {
            scalesAndMins(w, at, sc, mn);
            for (int half = 0; half < 2; half++) {
                long qs = at + QS + 32L * half;
                for (int part = 0; part < 2; part++) {
                    int is = 8 * half + part;
                    for (int l = 0; l < 16; l += FLOAT_LANES) {
                        IntVector q = (IntVector) ByteVector.fromMemorySegment(BYTES, w, qs + 16 * part + l, LE)
                                .convertShape(B2I, INTS, 0);
                        int xi = xOff + b + 128 * half + 16 * part + l;
                        acc0 = ((FloatVector) q.and(3).convert(I2F, 0))
                                .fma(FloatVector.broadcast(FLOATS, sc[is]), FloatVector.broadcast(FLOATS, -mn[is]))
                                .fma(FloatVector.fromArray(FLOATS, x, xi), acc0);
                        acc1 = ((FloatVector) q.lanewise(LSHR, 2).and(3).convert(I2F, 0))
                                .fma(FloatVector.broadcast(FLOATS, sc[is + 2]), FloatVector.broadcast(FLOATS, -mn[is + 2]))
                                .fma(FloatVector.fromArray(FLOATS, x, xi + 32), acc1);
                        acc2 = ((FloatVector) q.lanewise(LSHR, 4).and(3).convert(I2F, 0))
                                .fma(FloatVector.broadcast(FLOATS, sc[is + 4]), FloatVector.broadcast(FLOATS, -mn[is + 4]))
                                .fma(FloatVector.fromArray(FLOATS, x, xi + 64), acc2);
                        acc3 = ((FloatVector) q.lanewise(LSHR, 6).and(3).convert(I2F, 0))
                                .fma(FloatVector.broadcast(FLOATS, sc[is + 6]), FloatVector.broadcast(FLOATS, -mn[is + 6]))
                                .fma(FloatVector.fromArray(FLOATS, x, xi + 96), acc3);
                    }
                }
            }
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(ADD);
    }

    /** The sixteen d*sc and dmin*m of the super-block at {@code at}, eight at a time. */
    private static void scalesAndMins(MemorySegment w, long at, float[] sc, float[] mn) {
        float d = fp16(w, at + D);
        float dmin = fp16(w, at + D + 2);
        ByteVector packed = ByteVector.fromMemorySegment(BYTES_128, w, at, LE);
        for (int part = 0; part < 2; part++) {
            IntVector v = (IntVector) packed.convertShape(B2I, INTS_256, part);
            ((FloatVector) v.and(0xF).convert(I2F, 0)).mul(d).intoArray(sc, 8 * part);
            ((FloatVector) v.lanewise(LSHR, 4).and(0xF).convert(I2F, 0)).mul(dmin).intoArray(mn, 8 * part);
        }
    }
}
