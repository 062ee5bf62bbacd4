package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.BYTES;
import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FLOATS_256;
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

/**
 * Q4_K super-block of 256: {@code d}, {@code dmin} (fp16), {@code scales[12]} (eight 6-bit scale/min pairs),
 * {@code qs[128]}. Each 64 elements use 32 bytes of qs: low nibbles for sub-block 2j, high for 2j+1;
 * x = d * sc * q - dmin * m.
 */
final class Q4_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int SCALES = 4;
    static final int QS = 16;

    Q4_KFormat() {
        super(GgmlType.Q4_K);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        if (FUSED) {
            dequantizeLanes(w, at, count, dst, dstOff);
            return;
        }
        super.dequantize(w, at, count, dst, dstOff);
    }

    /** The reference codec's products (d*sc*q - dmin*m, two roundings), FLOAT_LANES at a time. */
    private static void dequantizeLanes(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 144) {
            float d = fp16(w, at);
            float dmin = fp16(w, at + 2);
            long scales = packedScales(w, at + SCALES);
            long mins = packedMins(w, at + SCALES);
            for (int j = 0; j < 4; j++) {
                FloatVector d1 = FloatVector.broadcast(FLOATS, d * ((scales >>> (16 * j)) & 0xFF));
                FloatVector d2 = FloatVector.broadcast(FLOATS, d * ((scales >>> (16 * j + 8)) & 0xFF));
                FloatVector m1 = FloatVector.broadcast(FLOATS, dmin * ((mins >>> (16 * j)) & 0xFF));
                FloatVector m2 = FloatVector.broadcast(FLOATS, dmin * ((mins >>> (16 * j + 8)) & 0xFF));
                int y = dstOff + b + 64 * j;
                for (int l = 0; l < 32; l += FLOAT_LANES) {
                    ByteVector q = ByteVector.fromMemorySegment(BYTES, w, at + QS + 32L * j + l, LE);
                    ((FloatVector) (q.and((byte) 0xF)).convertShape(B2F, FLOATS, 0)).mul(d1).sub(m1).intoArray(dst, y + l);
                    ((FloatVector) (q.lanewise(LSHR, 4)).convertShape(B2F, FLOATS, 0)).mul(d2).sub(m2)
                            .intoArray(dst, y + 32 + l);
                }
            }
        }
    }

    /** A super-block's eight d*sc into {@code sc[0..8)} and eight dmin*m into {@code m[0..8)} (shared with Q5_K). */
    static void scalesAndMins(MemorySegment w, long at, float[] sc, float[] m) {
        widenBytes(packedScales(w, at + SCALES), 0f, fp16(w, at), sc, 0);
        widenBytes(packedMins(w, at + SCALES), 0f, fp16(w, at + 2), m, 0);
    }

    private static final long KMASK1 = 0x3f3f3f3fL;
    private static final long KMASK2 = 0x0f0f0f0fL;
    private static final long KMASK3 = 0x03030303L;

    /** All eight 6-bit scales of a super-block, one per byte (ggml's kmask unpacking, no branches). */
    static long packedScales(MemorySegment w, long scales) {
        long u0 = w.get(LE_INT, scales) & 0xFFFFFFFFL;
        long u2 = w.get(LE_INT, scales + 8) & 0xFFFFFFFFL;
        return (u0 & KMASK1) | (((u2 & KMASK2) | (((u0 >>> 6) & KMASK3) << 4)) << 32);
    }

    /** All eight 6-bit mins of a super-block, one per byte. */
    static long packedMins(MemorySegment w, long scales) {
        long u1 = w.get(LE_INT, scales + 4) & 0xFFFFFFFFL;
        long u2 = w.get(LE_INT, scales + 8) & 0xFFFFFFFFL;
        return (u1 & KMASK1) | ((((u2 >>> 4) & KMASK2) | (((u1 >>> 6) & KMASK3) << 4)) << 32);
    }

    @Override
    boolean usesSubBlockSums() {
        return FUSED;
    }

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        return dot(w, at, x, xOff, count, null);
    }

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count, float[] xSums) {
        if (!FUSED || xSums == null) {
            return super.dot(w, at, x, xOff, count);
        }
        // One method for the row (C2 inlines the Vector API calls; see Lanes). Nibbles are widened to ints
        // first (x86 has no byte shifts). A super-block's eight d*sc go through a small array, whose elements
        // broadcast straight from memory, and its eight dmin*m meet the sub-block sums of x as one 8-lane FMA per
        // super-block, summed once per row (far faster than offsets summed in scalar code and bytes shifted in byte
        // lanes: docs/performance.md).
        FloatVector acc = FloatVector.zero(FLOATS), acc2 = acc;
        FloatVector mins = FloatVector.zero(FLOATS_256);
        float[] sc = new float[8], m = new float[8];
        for (int b = 0; b < count; b += QK, at += 144) {
            scalesAndMins(w, at, sc, m);
            mins = FloatVector.fromArray(FLOATS_256, m, 0).fma(FloatVector.fromArray(FLOATS_256, xSums, b / 32), mins);
            for (int j = 0; j < 4; j++) {
                int xi = xOff + b + 64 * j;
                long qs = at + QS + 32L * j;
                FloatVector s1 = FloatVector.zero(FLOATS), s2 = FloatVector.zero(FLOATS);
                for (int l = 0; l < 32; l += FLOAT_LANES) {
                    IntVector q = (IntVector) ByteVector.fromMemorySegment(BYTES, w, qs + l, LE).convertShape(B2I, INTS, 0);
                    s1 = ((FloatVector) q.and(0xF).convert(I2F, 0)).fma(FloatVector.fromArray(FLOATS, x, xi + l), s1);
                    s2 = ((FloatVector) q.lanewise(LSHR, 4).and(0xF).convert(I2F, 0))
                            .fma(FloatVector.fromArray(FLOATS, x, xi + 32 + l), s2);
                }
                acc = s1.fma(FloatVector.broadcast(FLOATS, sc[2 * j]), acc);
                acc2 = s2.fma(FloatVector.broadcast(FLOATS, sc[2 * j + 1]), acc2);
            }
        }
        return acc.add(acc2).reduceLanes(ADD) - mins.reduceLanes(ADD);
    }
}
