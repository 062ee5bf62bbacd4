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
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * Q3_K super-block of 256: {@code hmask[32]} (high bits, inverted: a clear bit subtracts 4), {@code qs[64]} (2-bit
 * quants laid out as Q2_K), {@code scales[12]} (sixteen 6-bit scales, offset by 32), {@code d};
 * x = d * (scale - 32) * (q - (hbit ? 0 : 4)).
 */
final class Q3_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int QS = 32;
    static final int SCALES = 96;
    static final int D = 108;

    Q3_KFormat() {
        super(GgmlType.Q3_K);
    }

    /**
     * The whole row in one method, straight from the segment: bytes widened to int lanes before the bit work (x86
     * has no byte-lane shifts), each 16 bytes of qs and hmask loaded once for the four 2-bit planes they hold, and a
     * super-block's sixteen d*(scale-32) unpacked eight at a time (ggml's kmask layout) into a small array.
     */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc0 = FloatVector.zero(FLOATS), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        float[] sc = new float[16];
        for (int b = 0; b < count; b += QK, at += 110) {
            scales(w, at, sc);
            for (int half = 0; half < 2; half++) {
                long qs = at + QS + 32L * half;
                for (int part = 0; part < 2; part++) {
                    int is = 8 * half + part;
                    for (int l = 0; l < 16; l += FLOAT_LANES) {
                        IntVector q = (IntVector) ByteVector.fromMemorySegment(BYTES, w, qs + 16 * part + l, LE)
                                .convertShape(B2I, INTS, 0);
                        IntVector h = ((IntVector) ByteVector.fromMemorySegment(BYTES, w, at + 16 * part + l, LE)
                                .convertShape(B2I, INTS, 0)).lanewise(LSHR, 4 * half);
                        int xi = xOff + b + 128 * half + 16 * part + l;
                        // q | hbit << 2 = q + 4 * hbit (q < 4); the 4 comes off after widening
                        acc0 = ((FloatVector) q.and(3).or(h.and(1).lanewise(LSHL, 2)).convert(I2F, 0)).sub(4f)
                                .mul(FloatVector.fromArray(FLOATS, x, xi)).fma(FloatVector.broadcast(FLOATS, sc[is]), acc0);
                        acc1 = ((FloatVector) q.lanewise(LSHR, 2).and(3).or(h.lanewise(LSHL, 1).and(4))
                                .convert(I2F, 0)).sub(4f).mul(FloatVector.fromArray(FLOATS, x, xi + 32))
                                .fma(FloatVector.broadcast(FLOATS, sc[is + 2]), acc1);
                        acc2 = ((FloatVector) q.lanewise(LSHR, 4).and(3).or(h.and(4)).convert(I2F, 0)).sub(4f)
                                .mul(FloatVector.fromArray(FLOATS, x, xi + 64)).fma(FloatVector.broadcast(FLOATS, sc[is + 4]), acc2);
                        acc3 = ((FloatVector) q.lanewise(LSHR, 6).and(3).or(h.lanewise(LSHR, 1).and(4))
                                .convert(I2F, 0)).sub(4f).mul(FloatVector.fromArray(FLOATS, x, xi + 96))
                                .fma(FloatVector.broadcast(FLOATS, sc[is + 6]), acc3);
                    }
                }
            }
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(ADD);
    }

    private static final long KMASK_LOW = 0x0f0f0f0fL;
    private static final long KMASK_HIGH = 0x03030303L;

    /** The sixteen d * (scale - 32) of the super-block at {@code at} into {@code sc}. */
    private static void scales(MemorySegment w, long at, float[] sc) {
        long u0 = w.get(LE_INT, at + SCALES) & 0xFFFFFFFFL;
        long u1 = w.get(LE_INT, at + SCALES + 4) & 0xFFFFFFFFL;
        long u2 = w.get(LE_INT, at + SCALES + 8) & 0xFFFFFFFFL;
        long first = (u0 & KMASK_LOW) | ((u2 & KMASK_HIGH) << 4)
                | (((u1 & KMASK_LOW) | (((u2 >>> 2) & KMASK_HIGH) << 4)) << 32);
        long second = ((u0 >>> 4) & KMASK_LOW) | (((u2 >>> 4) & KMASK_HIGH) << 4)
                | ((((u1 >>> 4) & KMASK_LOW) | (((u2 >>> 6) & KMASK_HIGH) << 4)) << 32);
        float d = fp16(w, at + D);
        widenBytes(first, -32f, d, sc, 0);
        widenBytes(second, -32f, d, sc, 8);
    }
}
