package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * What one ggml weight type contributes to the kernels: a dequantizer for a run of blocks (feeding the one prefill
 * GEMM, which packs the floats into its panels) and a fused dequantize-and-dot for decode. Offsets are byte offsets
 * into the tensor's segment at the start of a block; element counts are multiples of the block size.
 */
abstract class WeightFormat {
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Elements the generic dot dequantizes at a time: a multiple of every block size. */
    private static final int CHUNK = 256;
    private static final ThreadLocal<float[]> CHUNK_BUFFER = ThreadLocal.withInitial(() -> new float[CHUNK]);

    final GgmlType type;

    WeightFormat(GgmlType type) {
        this.type = type;
    }

    final int blockSize() {
        return type.blockSize;
    }

    final int blockBytes() {
        return type.typeSize;
    }

    /** Byte offset of element {@code col} within a row; {@code col} must start a block. */
    final long offsetOf(int col) {
        return (long) (col / type.blockSize) * type.typeSize;
    }

    /**
     * Writes the {@code count} elements stored from byte {@code at} as floats into {@code dst[dstOff ..]}. This is the
     * type's reference codec (scalar); types override it with a vector loop.
     */
    void dequantize(MemorySegment w, long at, int count, float[] dst, int dstOff) {
        type.dequantize(w, at, dst, dstOff, count);
    }

    /**
     * Dot product of the {@code count} elements stored from byte {@code at} with {@code x[xOff ..]}. This generic
     * version dequantizes chunk by chunk; types override it with a fused loop.
     */
    float dot(MemorySegment w, long at, float[] x, int xOff, int count) {
        float[] buf = CHUNK_BUFFER.get();
        float sum = 0;
        for (int i = 0; i < count; i += CHUNK) {
            int len = Math.min(CHUNK, count - i);
            dequantize(w, at + offsetOf(i), len, buf, 0);
            sum += VectorMath.dot(buf, 0, x, xOff + i, len);
        }
        return sum;
    }

    /**
     * Whether {@link #dot(MemorySegment, long, float[], int, int, float[])} uses the sums of x over each 32-element
     * sub-block: types with a per-sub-block offset (x = d*q - m) then skip summing x again for every row.
     */
    boolean usesSubBlockSums() {
        return false;
    }

    /** As {@link #dot(MemorySegment, long, float[], int, int)}, given {@code xSums[i]} = sum of x[xOff + 32i ..+32). */
    float dot(MemorySegment w, long at, float[] x, int xOff, int count, float[] xSums) {
        return dot(w, at, x, xOff, count);
    }

    /**
     * The eight bytes of {@code packed} (lowest first, read as signed) as {@code (byte + bias) * scale} into
     * {@code dst[off .. off + 8)}: a K-quant super-block's eight unpacked scales or mins, widened in one vector.
     */
    static void widenBytes(long packed, float bias, float scale, float[] dst, int off) {
        FloatVector v = (FloatVector) LongVector.broadcast(Lanes.LONGS_128, packed).reinterpretAsBytes()
                .convertShape(VectorOperators.B2F, Lanes.FLOATS_256, 0);
        if (bias != 0f) {
            v = v.add(bias);
        }
        v.mul(scale).intoArray(dst, off);
    }

    static float fp16(MemorySegment w, long at) {
        return Float.float16ToFloat(w.get(LE_SHORT, at));
    }

    @Override
    public String toString() {
        return type.name();
    }
}
