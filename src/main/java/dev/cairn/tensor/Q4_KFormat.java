package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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
        for (int b = 0; b < count; b += QK, at += 144) {
            float d = fp16(w, at);
            float dmin = fp16(w, at + 2);
            int y = dstOff + b;
            for (int j = 0; j < 4; j++) {
                float d1 = d * scale(w, at + SCALES, 2 * j);
                float m1 = dmin * min(w, at + SCALES, 2 * j);
                float d2 = d * scale(w, at + SCALES, 2 * j + 1);
                float m2 = dmin * min(w, at + SCALES, 2 * j + 1);
                long qs = at + QS + 32L * j;
                for (int l = 0; l < 32; l++) {
                    int q = u8(w, qs + l);
                    dst[y + 64 * j + l] = d1 * (q & 0xF) - m1;
                    dst[y + 64 * j + 32 + l] = d2 * (q >>> 4) - m2;
                }
            }
        }
    }

    /** 6-bit scale of sub-block {@code j} (ggml's get_scale_min_k4), shared with Q5_K. */
    static int scale(MemorySegment w, long scales, int j) {
        if (j < 4) {
            return u8(w, scales + j) & 63;
        }
        return (u8(w, scales + j + 4) & 0xF) | ((u8(w, scales + j - 4) >>> 6) << 4);
    }

    /** 6-bit min of sub-block {@code j}. */
    static int min(MemorySegment w, long scales, int j) {
        if (j < 4) {
            return u8(w, scales + j + 4) & 63;
        }
        return (u8(w, scales + j + 4) >>> 4) | ((u8(w, scales + j) >>> 6) << 4);
    }

    /** Per sub-block of 32: sum(q x) and sum(x) in vectors, then d*sc and -dmin*m applied once. */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!Lanes.FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        // Four accumulators: one dependent FMA chain would bound the loop by FMA latency.
        FloatVector acc = FloatVector.zero(Lanes.F), acc2 = acc, acc3 = acc, acc4 = acc;
        for (int b = 0; b < count; b += QK, at += 144) {
            float d = fp16(w, at);
            float dmin = fp16(w, at + 2);
            for (int j = 0; j < 4; j++) {
                int xi = xOff + b + 64 * j;
                long qs = at + QS + 32L * j;
                FloatVector s1 = FloatVector.zero(Lanes.F), s2 = FloatVector.zero(Lanes.F);
                FloatVector x1 = FloatVector.zero(Lanes.F), x2 = FloatVector.zero(Lanes.F);
                for (int l = 0; l < 32; l += Lanes.L) {
                    ByteVector q = Lanes.bytes(w, qs + l);
                    FloatVector xa = Lanes.x(x, xi + l);
                    FloatVector xb = Lanes.x(x, xi + 32 + l);
                    s1 = Lanes.floats(q.and((byte) 0xF)).fma(xa, s1);
                    s2 = Lanes.floats(q.lanewise(VectorOperators.LSHR, 4)).fma(xb, s2);
                    x1 = x1.add(xa);
                    x2 = x2.add(xb);
                }
                acc = s1.fma(Lanes.all(d * scale(w, at + SCALES, 2 * j)), acc);
                acc2 = s2.fma(Lanes.all(d * scale(w, at + SCALES, 2 * j + 1)), acc2);
                acc3 = x1.fma(Lanes.all(-dmin * min(w, at + SCALES, 2 * j)), acc3);
                acc4 = x2.fma(Lanes.all(-dmin * min(w, at + SCALES, 2 * j + 1)), acc4);
            }
        }
        return acc.add(acc2).add(acc3).add(acc4).reduceLanes(VectorOperators.ADD);
    }
}
