package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** F32, F16 and BF16: one value per "block". */
final class FloatCodec implements BlockCodec {
    private final GgmlType type;

    FloatCodec(GgmlType type) {
        this.type = type;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstOff) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, srcOff, dst, Bytes.F32, dstOff, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    Bytes.putHalf(dst, dstOff + 2L * i, src[srcOff + i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst.set(Bytes.I16, dstOff + 2L * i, Bytes.toBf16(src[srcOff + i]));
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    @Override
    public void dequantize(MemorySegment src, long srcOff, float[] dst, int dstOff, int n) {
        switch (type) {
            case F32 -> MemorySegment.copy(src, Bytes.F32, srcOff, dst, dstOff, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = Bytes.half(src, srcOff + 2L * i);
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = Bytes.fromBf16(src.get(Bytes.I16, srcOff + 2L * i));
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }
}
