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
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * Q5_K super-block of 256: {@code d}, {@code dmin}, {@code scales[12]} (as Q4_K), {@code qh[32]} (fifth bits: bit 2j
 * of qh[l] for element l of sub-block 2j, bit 2j+1 for sub-block 2j+1), {@code qs[128]} (nibbles as Q4_K).
 */
final class Q5_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int SCALES = 4;
    static final int QH = 16;
    static final int QS = 48;

    Q5_KFormat() {
        super(GgmlType.Q5_K);
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
        for (int b = 0; b < count; b += QK, at += 176) {
            float d = fp16(w, at);
            float dmin = fp16(w, at + 2);
            long scales = Q4_KFormat.packedScales(w, at + SCALES);
            long mins = Q4_KFormat.packedMins(w, at + SCALES);
            for (int j = 0; j < 4; j++) {
                FloatVector d1 = FloatVector.broadcast(FLOATS, d * ((scales >>> (16 * j)) & 0xFF));
                FloatVector d2 = FloatVector.broadcast(FLOATS, d * ((scales >>> (16 * j + 8)) & 0xFF));
                FloatVector m1 = FloatVector.broadcast(FLOATS, dmin * ((mins >>> (16 * j)) & 0xFF));
                FloatVector m2 = FloatVector.broadcast(FLOATS, dmin * ((mins >>> (16 * j + 8)) & 0xFF));
                int y = dstOff + b + 64 * j;
                for (int l = 0; l < 32; l += FLOAT_LANES) {
                    ByteVector q = ByteVector.fromMemorySegment(BYTES, w, at + QS + 32L * j + l, LE);
                    ByteVector h = ByteVector.fromMemorySegment(BYTES, w, at + QH + l, LE).lanewise(LSHR, 2 * j);
                    ByteVector lo = q.and((byte) 0xF).or(h.and((byte) 1).lanewise(LSHL, 4));
                    ByteVector hi = q.lanewise(LSHR, 4).or(h.and((byte) 2).lanewise(LSHL, 3));
                    ((FloatVector) lo.convertShape(B2F, FLOATS, 0)).mul(d1).sub(m1).intoArray(dst, y + l);
                    ((FloatVector) hi.convertShape(B2F, FLOATS, 0)).mul(d2).sub(m2).intoArray(dst, y + 32 + l);
                }
            }
        }
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
        // As Q4_KFormat.dot (whole row, int lanes, scales from a small array, offsets as 8-lane FMAs), plus each
        // element's fifth bit from qh.
        FloatVector acc = FloatVector.zero(FLOATS), acc2 = acc;
        FloatVector mins = FloatVector.zero(FLOATS_256);
        float[] sc = new float[8], m = new float[8];
        for (int b = 0; b < count; b += QK, at += 176) {
            Q4_KFormat.scalesAndMins(w, at, sc, m);
            mins = FloatVector.fromArray(FLOATS_256, m, 0).fma(FloatVector.fromArray(FLOATS_256, xSums, b / 32), mins);
            for (int j = 0; j < 4; j++) {
                int xi = xOff + b + 64 * j;
                long qs = at + QS + 32L * j;
                FloatVector s1 = FloatVector.zero(FLOATS), s2 = FloatVector.zero(FLOATS);
                for (int l = 0; l < 32; l += FLOAT_LANES) {
                    IntVector q = (IntVector) ByteVector.fromMemorySegment(BYTES, w, qs + l, LE).convertShape(B2I, INTS, 0);
                    IntVector h = ((IntVector) ByteVector.fromMemorySegment(BYTES, w, at + QH + l, LE)
                            .convertShape(B2I, INTS, 0)).lanewise(LSHR, 2 * j);
                    IntVector lo = q.and(0xF).or(h.and(1).lanewise(LSHL, 4));
                    IntVector hi = q.lanewise(LSHR, 4).and(0xF).or(h.and(2).lanewise(LSHL, 3));
                    s1 = ((FloatVector) lo.convert(I2F, 0)).fma(FloatVector.fromArray(FLOATS, x, xi + l), s1);
                    s2 = ((FloatVector) hi.convert(I2F, 0)).fma(FloatVector.fromArray(FLOATS, x, xi + 32 + l), s2);
                }
                acc = s1.fma(FloatVector.broadcast(FLOATS, sc[2 * j]), acc);
                acc2 = s2.fma(FloatVector.broadcast(FLOATS, sc[2 * j + 1]), acc2);
            }
        }
        return acc.add(acc2).reduceLanes(ADD) - mins.reduceLanes(ADD);
    }
}
