package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.BYTES;
import static dev.cairn.tensor.Lanes.BYTES_128;
import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FUSED;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
import static dev.cairn.tensor.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.B2F;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/** Q8_0 block of 32: {@code d} (fp16), {@code qs[32]} (int8); x = d * q. */
final class Q8_0Format extends WeightFormat {
    static final int QK = 32;
    static final int QS = 2;
    /** Whether the decode dot takes two blocks per iteration (see {@link #dot}). */
    private static final boolean PAIRS = FLOAT_LANES >= 16;

    Q8_0Format() {
        super(GgmlType.Q8_0);
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
        for (int b = 0; b < count; b += QK, at += 34) {
            FloatVector d = FloatVector.broadcast(FLOATS, fp16(w, at));
            for (int j = 0; j < QK; j += FLOAT_LANES) {
                ((FloatVector) ByteVector.fromMemorySegment(BYTES, w, at + QS + j, LE).convertShape(B2F, FLOATS, 0)).mul(d)
                        .intoArray(dst, dstOff + b + j);
            }
        }
    }

    /**
     * Per block: sum q * x over the block in a vector, then one FMA with d. With 512-bit vectors, two blocks per
     * iteration into two accumulators, which keep more loads in flight (one block at a time was much slower); with
     * 256-bit vectors the pairs measured slower, so there the loop takes one block at a time, with 16-byte loads
     * (below). Figures in docs/performance.md.
     */
    @Override
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        if (!FUSED) {
            return super.dot(w, at, x, xOff, count);
        }
        FloatVector acc0 = FloatVector.zero(FLOATS), acc1 = FloatVector.zero(FLOATS);
        int b = 0;
        if (PAIRS) {
            for (; b + 2 * QK <= count; b += 2 * QK, at += 68) {
                int xi = xOff + b;
                FloatVector s0 = ((FloatVector) ByteVector.fromMemorySegment(BYTES, w, at + QS, LE)
                        .convertShape(B2F, FLOATS, 0)).mul(FloatVector.fromArray(FLOATS, x, xi));
                FloatVector s1 = ((FloatVector) ByteVector.fromMemorySegment(BYTES, w, at + 34 + QS, LE)
                        .convertShape(B2F, FLOATS, 0)).mul(FloatVector.fromArray(FLOATS, x, xi + QK));
                for (int j = FLOAT_LANES; j < QK; j += FLOAT_LANES) {
                    s0 = ((FloatVector) ByteVector.fromMemorySegment(BYTES, w, at + QS + j, LE).convertShape(B2F, FLOATS, 0))
                            .fma(FloatVector.fromArray(FLOATS, x, xi + j), s0);
                    s1 = ((FloatVector) ByteVector.fromMemorySegment(BYTES, w, at + 34 + QS + j, LE)
                            .convertShape(B2F, FLOATS, 0)).fma(FloatVector.fromArray(FLOATS, x, xi + QK + j), s1);
                }
                acc0 = s0.fma(FloatVector.broadcast(FLOATS, fp16(w, at)), acc0);
                acc1 = s1.fma(FloatVector.broadcast(FLOATS, fp16(w, at + 34)), acc1);
            }
        }
        if (FLOAT_LANES == 8) {
            // 256-bit floats: 16-byte loads widened in two parts rather than four 8-byte loads (the byte species of
            // the same lane count): fewer loads per block (docs/performance.md).
            for (; b < count; b += QK, at += 34) {
                int xi = xOff + b;
                ByteVector q0 = ByteVector.fromMemorySegment(BYTES_128, w, at + QS, LE);
                ByteVector q1 = ByteVector.fromMemorySegment(BYTES_128, w, at + QS + 16, LE);
                FloatVector s = ((FloatVector) q0.convertShape(B2F, FLOATS, 0)).mul(FloatVector.fromArray(FLOATS, x, xi));
                s = ((FloatVector) q0.convertShape(B2F, FLOATS, 1)).fma(FloatVector.fromArray(FLOATS, x, xi + 8), s);
                s = ((FloatVector) q1.convertShape(B2F, FLOATS, 0)).fma(FloatVector.fromArray(FLOATS, x, xi + 16), s);
                s = ((FloatVector) q1.convertShape(B2F, FLOATS, 1)).fma(FloatVector.fromArray(FLOATS, x, xi + 24), s);
                acc0 = s.fma(FloatVector.broadcast(FLOATS, fp16(w, at)), acc0);
            }
        }
        for (; b < count; b += QK, at += 34) {
            int xi = xOff + b;
            FloatVector s = ((FloatVector) ByteVector.fromMemorySegment(BYTES, w, at + QS, LE).convertShape(B2F, FLOATS, 0))
                    .mul(FloatVector.fromArray(FLOATS, x, xi));
            for (int j = FLOAT_LANES; j < QK; j += FLOAT_LANES) {
                s = ((FloatVector) ByteVector.fromMemorySegment(BYTES, w, at + QS + j, LE).convertShape(B2F, FLOATS, 0))
                        .fma(FloatVector.fromArray(FLOATS, x, xi + j), s);
            }
            acc0 = s.fma(FloatVector.broadcast(FLOATS, fp16(w, at)), acc0);
        }
        return acc0.add(acc1).reduceLanes(ADD);
    }
}
