package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/** F32, F16 and BF16: one value per "block". */
final class FloatCodec implements BlockCodec {
    private enum Width { F32, F16, BF16 }

    static final FloatCodec F32 = new FloatCodec(Width.F32);
    static final FloatCodec F16 = new FloatCodec(Width.F16);
    static final FloatCodec BF16 = new FloatCodec(Width.BF16);

    private final Width width;

    private FloatCodec(Width width) {
        this.width = width;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstOff) {
        switch (width) {
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
        }
    }

    @Override
    public void dequantize(MemorySegment src, long srcOff, float[] dst, int dstOff, int n) {
        switch (width) {
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
        }
    }
}
