package dev.cairn.gguf;

/**
 * Tensor element types by their ggml id and block layout (elements per block, bytes per block).
 * Ids and layouts mirror ggml.h / ggml-common.h; only the types cairn can read are {@link #supported()}.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16), IQ2_XS(17), IQ3_XXS(18), IQ1_S(19), IQ4_NL(20), IQ3_S(21), IQ2_S(22), IQ4_XS(23),
    I8(24), I16(25), I32(26), I64(27), F64(28), IQ1_M(29),
    BF16(30, 1, 2),
    TQ1_0(34), TQ2_0(35), MXFP4(39);

    public final int id;
    public final int blockSize;
    public final int typeSize;
    private final boolean supported;

    GgmlType(int id, int blockSize, int typeSize) {
        this(id, blockSize, typeSize, true);
    }

    GgmlType(int id, int blockSize, int typeSize, boolean supported) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.supported = supported;
    }

    GgmlType(int id) {
        this(id, 0, 0, false);
    }

    public boolean supported() {
        return supported;
    }

    /** Bytes taken by {@code elements} values; {@code elements} must be a multiple of the block size. */
    public long byteSize(long elements) {
        return elements / blockSize * typeSize;
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
