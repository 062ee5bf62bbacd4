package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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
        for (int b = 0; b < count; b += QK, at += 210) {
            float d = fp16(w, at + D);
            for (int half = 0; half < 2; half++) {
                long ql = at + 64L * half;
                long qh = at + QH + 32L * half;
                long sc = at + SCALES + 8L * half;
                int y = dstOff + b + 128 * half;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int lo = u8(w, ql + l);
                    int hi = u8(w, ql + l + 32);
                    int h = u8(w, qh + l);
                    dst[y + l] = d * w.get(BYTE, sc + is) * (((lo & 0xF) | ((h & 3) << 4)) - 32);
                    dst[y + l + 32] = d * w.get(BYTE, sc + is + 2) * (((hi & 0xF) | (((h >>> 2) & 3) << 4)) - 32);
                    dst[y + l + 64] = d * w.get(BYTE, sc + is + 4) * (((lo >>> 4) | (((h >>> 4) & 3) << 4)) - 32);
                    dst[y + l + 96] = d * w.get(BYTE, sc + is + 6) * (((hi >>> 4) | ((h >>> 6) << 4)) - 32);
                }
            }
        }
    }

    /** Each L-lane chunk lies inside one 16-element scale group, so a chunk needs one scale per quarter. */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!Lanes.FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc = FloatVector.zero(Lanes.F), acc2 = acc, acc3 = acc, acc4 = acc;
        for (int b = 0; b < count; b += QK, at += 210) {
            float d = fp16(w, at + D);
            for (int half = 0; half < 2; half++) {
                long ql = at + 64L * half;
                long qh = at + QH + 32L * half;
                long sc = at + SCALES + 8L * half;
                int xi = xOff + b + 128 * half;
                for (int l = 0; l < 32; l += Lanes.L) {
                    int is = l / 16;
                    ByteVector lo = Lanes.bytes(w, ql + l);
                    ByteVector hi = Lanes.bytes(w, ql + 32 + l);
                    ByteVector h = Lanes.bytes(w, qh + l);
                    ByteVector q1 = lo.and((byte) 0xF).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4));
                    ByteVector q2 = hi.and((byte) 0xF).or(h.and((byte) 0xC).lanewise(VectorOperators.LSHL, 2));
                    ByteVector q3 = lo.lanewise(VectorOperators.LSHR, 4).or(h.and((byte) 0x30));
                    ByteVector q4 = hi.lanewise(VectorOperators.LSHR, 4)
                            .or(h.and((byte) 0xC0).lanewise(VectorOperators.LSHR, 2));
                    FloatVector x1 = Lanes.x(x, xi + l), x2 = Lanes.x(x, xi + 32 + l);
                    FloatVector x3 = Lanes.x(x, xi + 64 + l), x4 = Lanes.x(x, xi + 96 + l);
                    acc = Lanes.floats(q1.sub((byte) 32)).mul(x1).fma(Lanes.all(d * w.get(BYTE, sc + is)), acc);
                    acc2 = Lanes.floats(q2.sub((byte) 32)).mul(x2).fma(Lanes.all(d * w.get(BYTE, sc + is + 2)), acc2);
                    acc3 = Lanes.floats(q3.sub((byte) 32)).mul(x3).fma(Lanes.all(d * w.get(BYTE, sc + is + 4)), acc3);
                    acc4 = Lanes.floats(q4.sub((byte) 32)).mul(x4).fma(Lanes.all(d * w.get(BYTE, sc + is + 6)), acc4);
                }
            }
        }
        return acc.add(acc2).add(acc3).add(acc4).reduceLanes(VectorOperators.ADD);
    }
}
