package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/**
 * Tensor data to F32 with ggml's reference dequantizers (dequantize_row_*): the scalar reference the kernels are
 * checked against.
 */
public final class Dequantize {
    private Dequantize() {}

    public static boolean supports(GgmlType type) {
        return type.supported();
    }

    /**
     * Reads {@code count} values (a multiple of the block size) of {@code type} starting at {@code src[byteOffset]}
     * into {@code dst[dstOffset..]}.
     */
    public static void row(GgmlType type, MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        type.dequantize(src, byteOffset, dst, dstOffset, count);
    }

    /** All values of a tensor (small tensors only: tests and tools). */
    public static float[] tensor(GgufFile file, TensorInfo t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        row(t.type(), file.tensorData(t), 0, out, 0, out.length);
        return out;
    }
}
