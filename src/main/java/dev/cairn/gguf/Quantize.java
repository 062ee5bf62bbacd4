package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** F32 to a tensor type with ggml's reference quantizers (quantize_row_*_ref), bit for bit. */
public final class Quantize {
    private Quantize() {}

    /** Whether {@code type} can be produced from F32. */
    public static boolean supports(GgmlType type) {
        return type.supported();
    }

    /**
     * Converts {@code count} floats (a multiple of the block size) from {@code src[srcOffset..]} and writes
     * {@code type.byteSize(count)} bytes at {@code dst[byteOffset..]}.
     */
    public static void row(GgmlType type, float[] src, int srcOffset, int count, MemorySegment dst, long byteOffset) {
        type.quantize(src, srcOffset, count, dst, byteOffset);
    }

    /** Convenience: the quantized bytes of {@code src} as a new array. */
    public static byte[] toBytes(GgmlType type, float[] src) {
        type.requireSupported(); // unsupported types have no block size to compute the length from
        byte[] out = new byte[Math.toIntExact(type.byteSize(src.length))];
        row(type, src, 0, src.length, MemorySegment.ofArray(out), 0);
        return out;
    }
}
