package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.BYTES;
import static dev.cairn.tensor.Lanes.BYTES_128;
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
 * Q6_K super-block of 256: {@code ql[128]} (low 4 bits), {@code qh[64]} (high 2 bits), {@code scales[16]} (int8,
 * one per 16 elements), {@code d} (fp16); x = d * scale * (q - 32). Each half of 128 elements uses 64 bytes of ql and
 * 32 of qh: element l (of 32) takes ql[l] low/high nibble and ql[l+32] low/high nibble for its four quarters.
 */
final class Q6_KFormat extends WeightFormat {
    static final int QK = 256;
    static final int QH = 128;
    static final int SCALES = 192;
    static final int D = 208;

    Q6_KFormat() {
        super(GgmlType.Q6_K);
    }

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        if (FUSED) {
            dequantizeLanes(w, at, count, dst, dstOff);
            return;
        }
        super.dequantize(w, at, count, dst, dstOff);
    }

    /** The reference codec's products ((d*scale)*q), FLOAT_LANES at a time, from an array copy of each block. */
    private static void dequantizeLanes(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        byte[] q = BLOCK.get();
        for (int b = 0; b < count; b += QK, at += 210) {
            MemorySegment.copy(w, BYTE, at, q, 0, 210);
            float d = Float.float16ToFloat((short) ((q[D] & 0xFF) | (q[D + 1] << 8)));
            for (int half = 0; half < 2; half++) {
                int y = dstOff + b + 128 * half;
                for (int l = 0; l < 32; l += FLOAT_LANES) {
                    int is = SCALES + 8 * half + l / 16;
                    ByteVector lo = ByteVector.fromArray(BYTES, q, 64 * half + l);
                    ByteVector hi = ByteVector.fromArray(BYTES, q, 64 * half + 32 + l);
                    ByteVector h = ByteVector.fromArray(BYTES, q, QH + 32 * half + l);
                    ByteVector q1 = lo.and((byte) 0xF).or(h.and((byte) 3).lanewise(LSHL, 4));
                    ByteVector q2 = hi.and((byte) 0xF).or(h.and((byte) 0xC).lanewise(LSHL, 2));
                    ByteVector q3 = lo.lanewise(LSHR, 4).or(h.and((byte) 0x30));
                    ByteVector q4 = hi.lanewise(LSHR, 4).or(h.lanewise(LSHR, 2).and((byte) 0x30));
                    ((FloatVector) q1.convertShape(B2F, FLOATS, 0)).sub(32f).mul(d * q[is]).intoArray(dst, y + l);
                    ((FloatVector) q2.convertShape(B2F, FLOATS, 0)).sub(32f).mul(d * q[is + 2]).intoArray(dst, y + 32 + l);
                    ((FloatVector) q3.convertShape(B2F, FLOATS, 0)).sub(32f).mul(d * q[is + 4]).intoArray(dst, y + 64 + l);
                    ((FloatVector) q4.convertShape(B2F, FLOATS, 0)).sub(32f).mul(d * q[is + 6]).intoArray(dst, y + 96 + l);
                }
            }
        }
    }

    /**
     * The whole row in one method, read straight from the segment: bytes are widened to int lanes before any shift
     * (x86 has no byte shifts, and the Vector API's byte-lane shifts were slower overall), and a super-block's
     * sixteen d*scale broadcast from a small array. Each FLOAT_LANES-lane chunk lies inside one 16-element scale group.
     */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(FLOATS), acc2 = acc, acc3 = acc, acc4 = acc;
        float[] sc = new float[16];
        for (int b = 0; b < count; b += QK, at += 210) {
            float d = fp16(w, at + D);
            ByteVector scales = ByteVector.fromMemorySegment(BYTES_128, w, at + SCALES, LE);
            ((FloatVector) scales.convertShape(B2F, FLOATS_256, 0)).mul(d).intoArray(sc, 0);
            ((FloatVector) scales.convertShape(B2F, FLOATS_256, 1)).mul(d).intoArray(sc, 8);
            for (int half = 0; half < 2; half++) {
                int xi = xOff + b + 128 * half;
                long ql = at + 64L * half;
                long qh = at + QH + 32L * half;
                for (int l = 0; l < 32; l += FLOAT_LANES) {
                    int is = 8 * half + l / 16;
                    IntVector lo = (IntVector) ByteVector.fromMemorySegment(BYTES, w, ql + l, LE).convertShape(B2I, INTS, 0);
                    IntVector hi = (IntVector) ByteVector.fromMemorySegment(BYTES, w, ql + 32 + l, LE)
                            .convertShape(B2I, INTS, 0);
                    IntVector h = (IntVector) ByteVector.fromMemorySegment(BYTES, w, qh + l, LE).convertShape(B2I, INTS, 0);
                    IntVector q1 = lo.and(0xF).or(h.and(3).lanewise(LSHL, 4));
                    IntVector q2 = hi.and(0xF).or(h.and(0xC).lanewise(LSHL, 2));
                    IntVector q3 = lo.lanewise(LSHR, 4).and(0xF).or(h.and(0x30));
                    IntVector q4 = hi.lanewise(LSHR, 4).and(0xF).or(h.lanewise(LSHR, 2).and(0x30));
                    acc = ((FloatVector) q1.convert(I2F, 0)).sub(32f).mul(FloatVector.fromArray(FLOATS, x, xi + l))
                            .fma(FloatVector.broadcast(FLOATS, sc[is]), acc);
                    acc2 = ((FloatVector) q2.convert(I2F, 0)).sub(32f).mul(FloatVector.fromArray(FLOATS, x, xi + 32 + l))
                            .fma(FloatVector.broadcast(FLOATS, sc[is + 2]), acc2);
                    acc3 = ((FloatVector) q3.convert(I2F, 0)).sub(32f).mul(FloatVector.fromArray(FLOATS, x, xi + 64 + l))
                            .fma(FloatVector.broadcast(FLOATS, sc[is + 4]), acc3);
                    acc4 = ((FloatVector) q4.convert(I2F, 0)).sub(32f).mul(FloatVector.fromArray(FLOATS, x, xi + 96 + l))
                            .fma(FloatVector.broadcast(FLOATS, sc[is + 6]), acc4);
                }
            }
        }
        return acc.add(acc2).add(acc3).add(acc4).reduceLanes(ADD);
    }

    private static final ThreadLocal<byte[]> BLOCK = ThreadLocal.withInitial(() -> new byte[256]);
}
