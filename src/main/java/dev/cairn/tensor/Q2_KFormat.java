package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.B;
import static dev.cairn.tensor.Lanes.F;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.L;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

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

    @Override
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        for (int b = 0; b < count; b += QK, at += 84) {
            float d = fp16(w, at + D);
            float dmin = fp16(w, at + D + 2);
            int y = dstOff + b;
            int is = 0;
            for (int half = 0; half < 2; half++) {
                long q = at + QS + 32L * half;
                for (int shift = 0; shift < 8; shift += 2) {
                    for (int part = 0; part < 2; part++) {
                        int sc = u8(w, at + is++);
                        float dl = d * (sc & 0xF);
                        float ml = dmin * (sc >>> 4);
                        for (int l = 0; l < 16; l++) {
                            dst[y++] = dl * ((u8(w, q + 16 * part + l) >>> shift) & 3) - ml;
                        }
                    }
                }
            }
        }
    }

    private static final ThreadLocal<byte[]> BLOCK = ThreadLocal.withInitial(() -> new byte[96]);

    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        byte[] block = BLOCK.get();
        float sum = 0;
        for (int b = 0; b < count; b += QK, at += 84) {
            MemorySegment.copy(w, BYTE, at, block, 0, 84);
            sum += superBlockDot(block, x, xOff + b);
        }
        return sum;
    }

    /**
     * One super-block from an array copy, in its own method (a whole-row method outgrows C2's inlining budget; see
     * Q6_KFormat). Per 16 elements: sum(q x) and sum(x) in vectors, then d*sc and -dmin*m applied once.
     */
    private static float superBlockDot(byte[] q, float[] x, int xi) {
        float d = Float.float16ToFloat((short) ((q[D] & 0xFF) | (q[D + 1] << 8)));
        float dmin = Float.float16ToFloat((short) ((q[D + 2] & 0xFF) | (q[D + 3] << 8)));
        FloatVector accq = FloatVector.zero(F), accm = accq;
        int is = 0;
        for (int half = 0; half < 2; half++) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int part = 0; part < 2; part++, is++) {
                    FloatVector sq = FloatVector.zero(F), sx = sq;
                    for (int l = 0; l < 16; l += L, xi += L) {
                        ByteVector v = ByteVector.fromArray(B, q, QS + 32 * half + 16 * part + l)
                                .lanewise(LSHR, shift).and((byte) 3);
                        FloatVector xv = FloatVector.fromArray(F, x, xi);
                        sq = ((FloatVector) v.convertShape(B2F, F, 0)).fma(xv, sq);
                        sx = sx.add(xv);
                    }
                    int sc = q[is] & 0xFF;
                    accq = sq.fma(FloatVector.broadcast(F, d * (sc & 0xF)), accq);
                    accm = sx.fma(FloatVector.broadcast(F, -dmin * (sc >>> 4)), accm);
                }
            }
        }
        return accq.add(accm).reduceLanes(ADD);
    }
}
