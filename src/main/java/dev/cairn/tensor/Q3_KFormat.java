package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.B;
import static dev.cairn.tensor.Lanes.F;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.L;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

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

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 110) {
            float d = fp16(w, at + D);
            int y = dstOff + b;
            int is = 0;
            int m = 1;
            for (int half = 0; half < 2; half++) {
                long q = at + QS + 32L * half;
                for (int shift = 0; shift < 8; shift += 2, m <<= 1) {
                    for (int part = 0; part < 2; part++) {
                        float dl = d * (scale(w, at + SCALES, is++) - 32);
                        for (int l = 0; l < 16; l++) {
                            int ql = (u8(w, q + 16 * part + l) >>> shift) & 3;
                            int hb = (u8(w, at + 16 * part + l) & m) != 0 ? 0 : 4;
                            dst[y++] = dl * (ql - hb);
                        }
                    }
                }
            }
        }
    }

    /** Unpacks scale {@code j} (0..15): low 4 bits from bytes 0-7, high 2 bits from bytes 8-11. */
    static int scale(MemorySegment w, long scales, int j) {
        int low = j < 8 ? u8(w, scales + j) & 0xF : u8(w, scales + j - 8) >>> 4;
        int high = (u8(w, scales + 8 + (j & 3)) >>> (2 * (j >>> 2))) & 3;
        return low | (high << 4);
    }

    private static final ThreadLocal<byte[]> BLOCK = ThreadLocal.withInitial(() -> new byte[128]);

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        byte[] block = BLOCK.get();
        MemorySegment copy = MemorySegment.ofArray(block);
        float sum = 0;
        for (int b = 0; b < count; b += QK, at += 110) {
            MemorySegment.copy(w, BYTE, at, block, 0, 110);
            sum += superBlockDot(block, copy, x, xOff + b);
        }
        return sum;
    }

    /**
     * One super-block from an array copy, in its own method (see Q2_KFormat). The inverted high bit is added back
     * as 4 in the byte lanes (q | hbit << 2 = q + 4*hbit since q < 4) and the 4 taken off after widening.
     */
    private static float superBlockDot(byte[] q, MemorySegment copy, float[] x, int xi) {
        float d = Float.float16ToFloat((short) ((q[D] & 0xFF) | (q[D + 1] << 8)));
        FloatVector acc = FloatVector.zero(F), acc2 = acc;
        int is = 0;
        int bit = 0;
        for (int half = 0; half < 2; half++) {
            for (int shift = 0; shift < 8; shift += 2, bit++) {
                for (int part = 0; part < 2; part++, is++) {
                    FloatVector s = FloatVector.zero(F);
                    for (int l = 0; l < 16; l += L, xi += L) {
                        ByteVector low = ByteVector.fromArray(B, q, QS + 32 * half + 16 * part + l)
                                .lanewise(LSHR, shift).and((byte) 3);
                        ByteVector high = ByteVector.fromArray(B, q, 16 * part + l)
                                .lanewise(LSHR, bit).and((byte) 1).lanewise(LSHL, 2);
                        s = ((FloatVector) (low.or(high)).convertShape(B2F, F, 0)).sub(4f)
                                .fma(FloatVector.fromArray(F, x, xi), s);
                    }
                    float dl = d * (scale(copy, SCALES, is) - 32);
                    if ((is & 1) == 0) {
                        acc = s.fma(FloatVector.broadcast(F, dl), acc);
                    } else {
                        acc2 = s.fma(FloatVector.broadcast(F, dl), acc2);
                    }
                }
            }
        }
        return acc.add(acc2).reduceLanes(ADD);
    }
}
