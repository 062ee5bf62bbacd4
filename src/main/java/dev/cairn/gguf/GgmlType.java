package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The table of tensor element types: each is declared once here, with its ggml id, block layout (elements per block,
 * bytes per block), reference codec (ggml's quantize_row_*_ref and dequantize_row_*, bit for bit) and whether cairn
 * computes with weights of it. Ids and layouts mirror ggml.h / ggml-common.h. A type with a codec is
 * {@link #supported()}: files may hold it and it converts to and from F32. A {@link #weights()} type also has a kernel
 * format in {@code dev.cairn.tensor} (registered there by type; its scalar path is this codec).
 */
public enum GgmlType {
    F32(0, 1, 4, FloatCodec.F32, true),
    F16(1, 1, 2, FloatCodec.F16, true),
    Q4_0(2, 32, 18, new Q4_0Codec(), true),
    Q4_1(3, 32, 20, new Q4_1Codec(), true),
    Q5_0(6, 32, 22, new Q5_0Codec(), true),
    Q5_1(7, 32, 24, new Q5_1Codec(), true),
    Q8_0(8, 32, 34, new Q8_0Codec(), true),
    Q8_1(9, 32, 36, null, false),
    Q2_K(10, 256, 84, new Q2_KCodec(), true),
    Q3_K(11, 256, 110, new Q3_KCodec(), true),
    Q4_K(12, 256, 144, new Q4_KCodec(), true),
    Q5_K(13, 256, 176, new Q5_KCodec(), true),
    Q6_K(14, 256, 210, new Q6_KCodec(), true),
    /** Converted (ggml's activation type for K-quant dots) but not computed with as weights. */
    Q8_K(15, 256, 292, new Q8_KCodec(), false),
    IQ2_XXS(16), IQ2_XS(17), IQ3_XXS(18), IQ1_S(19), IQ4_NL(20), IQ3_S(21), IQ2_S(22), IQ4_XS(23),
    I8(24), I16(25), I32(26), I64(27), F64(28), IQ1_M(29),
    BF16(30, 1, 2, FloatCodec.BF16, true),
    TQ1_0(34), TQ2_0(35), MXFP4(39);

    public final int id;
    public final int blockSize;
    public final int typeSize;
    private final BlockCodec codec;
    private final boolean weights;

    GgmlType(int id, int blockSize, int typeSize, BlockCodec codec, boolean weights) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.codec = codec;
        this.weights = weights;
    }

    GgmlType(int id) {
        this(id, 0, 0, null, false);
    }

    /** Whether cairn reads and writes this type and converts it to and from F32. */
    public boolean supported() {
        return codec != null;
    }

    /** Whether cairn computes with weight matrices of this type. */
    public boolean weights() {
        return weights;
    }

    /** The {@link #supported()} types, in declaration order. */
    public static List<GgmlType> supportedTypes() {
        return Arrays.stream(values()).filter(GgmlType::supported).toList();
    }

    /** The {@link #weights()} types, in declaration order. */
    public static List<GgmlType> weightTypes() {
        return Arrays.stream(values()).filter(GgmlType::weights).toList();
    }

    /** Names of {@code types} for an error message: "F32, F16, ...". */
    public static String names(List<GgmlType> types) {
        return types.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Bytes taken by {@code elements} values; {@code elements} must be a multiple of the block size. */
    public long byteSize(long elements) {
        return elements / blockSize * typeSize;
    }

    /**
     * Quantizes {@code count} floats (a multiple of the block size) from {@code src[srcOffset..]} into
     * {@code byteSize(count)} bytes at {@code dst[byteOffset..]}, with ggml's reference quantizer.
     */
    public void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long byteOffset) {
        codec().quantize(src, srcOffset, blocks(count), dst, byteOffset);
    }

    /**
     * Dequantizes {@code count} values (a multiple of the block size) stored from {@code src[byteOffset..]} into
     * {@code dst[dstOffset..]}, with ggml's reference dequantizer.
     */
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        codec().dequantize(src, byteOffset, dst, dstOffset, blocks(count));
    }

    /**
     * This type, if {@link #supported()}.
     *
     * @throws UnsupportedOperationException naming the supported types, otherwise
     */
    public GgmlType requireSupported() {
        if (codec == null) {
            throw new UnsupportedOperationException("no F32 conversion for " + this + " (supported: "
                    + names(supportedTypes()) + ")");
        }
        return this;
    }

    private BlockCodec codec() {
        return requireSupported().codec;
    }

    private int blocks(int count) {
        if (count % blockSize != 0) {
            throw new IllegalArgumentException(count + " values are not a whole number of " + this + " blocks of "
                    + blockSize);
        }
        return count / blockSize;
    }

    public static GgmlType byId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
