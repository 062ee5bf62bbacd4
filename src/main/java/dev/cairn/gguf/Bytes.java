package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian scalar access to block bytes, and ggml's half-precision conversions. */
final class Bytes {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Bytes() {}

    static int u8(MemorySegment s, long off) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off));
    }

    static byte i8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off);
    }

    static void put8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    static float half(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16, off));
    }

    /** GGML_FP32_TO_FP16: IEEE binary16, round to nearest even (what F16C's vcvtps2ph does). */
    static void putHalf(MemorySegment s, long off, float v) {
        s.set(I16, off, Float.floatToFloat16(v));
    }

    /** ggml_compute_fp32_to_bf16: round to nearest even; NaN kept quiet. */
    static short toBf16(float f) {
        int i = Float.floatToRawIntBits(f);
        if ((i & 0x7fffffff) > 0x7f800000) {
            return (short) ((i >>> 16) | 64);
        }
        return (short) ((i + (0x7fff + ((i >>> 16) & 1))) >>> 16);
    }

    static float fromBf16(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** C's roundf for |x| < 2^23: halves away from zero (Math.round would round -2.5 to -2). */
    static int roundf(float x) {
        int t = (int) x;
        float frac = x - t; // exact: x and its truncation share the exponent range
        return frac >= 0.5f ? t + 1 : frac <= -0.5f ? t - 1 : t;
    }
}
