package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/**
 * Converts whole blocks of one {@link GgmlType} between F32 and its on-disk layout, bit for bit as ggml's reference
 * code does (quantize_row_*_ref and dequantize_row_* in ggml-quants.c).
 */
interface BlockCodec {
    /** Quantizes {@code blocks} blocks of floats from {@code src[srcOff..]} into {@code dst} at {@code dstOff}. */
    void quantize(float[] src, int srcOff, int blocks, MemorySegment dst, long dstOff);

    /** Dequantizes {@code blocks} blocks from {@code src} at {@code srcOff} into {@code dst[dstOff..]}. */
    void dequantize(MemorySegment src, long srcOff, float[] dst, int dstOff, int blocks);
}
