package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.TensorInfo;
import java.lang.foreign.MemorySegment;

/** Creates {@link WeightMatrix} views over tensor data in any supported ggml encoding. */
public final class WeightMatrices {
    private WeightMatrices() {}

    /**
     * The 2-D tensor {@code t} (ggml shape {cols, rows}) over its data; errors name the tensor.
     *
     * @throws IllegalArgumentException as {@link #of(GgmlType, MemorySegment, int, int)}, or for a tensor that is not
     *     2-D
     */
    public static WeightMatrix of(TensorInfo t, MemorySegment data) {
        long[] shape = t.shape();
        long rows = 1;
        for (int i = 1; i < shape.length; i++) {
            rows *= shape[i];
        }
        if (shape.length < 1 || (shape.length > 2 && rows != shape[1]) || rows > Integer.MAX_VALUE
                || shape[0] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + t.name() + " is not a 2-D weight matrix: " + t);
        }
        try {
            return of(t.type(), data, (int) rows, (int) shape[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (tensor " + t.name() + ")", e);
        }
    }

    /**
     * A {@code rows x cols} matrix over {@code data} (row-major in {@code type}'s blocks, as ggml stores it).
     *
     * @throws IllegalArgumentException for an unsupported type, a width that is not a whole number of blocks, or data
     *     of the wrong size
     */
    public static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        WeightFormat format = format(type);
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("weight matrix must have positive dimensions, got " + rows + " x " + cols);
        }
        if (cols % type.blockSize != 0) {
            throw new IllegalArgumentException("a row of " + type + " holds whole blocks of " + type.blockSize
                    + " elements, but the matrix has " + cols + " columns");
        }
        long expected = type.byteSize(cols) * rows;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(type + " matrix " + rows + " x " + cols + " needs " + expected
                    + " bytes, got " + data.byteSize());
        }
        return new BlockMatrix(format, data, rows, cols, PanelGemm.PREFERRED);
    }

    /**
     * The matrices as one {@link MatvecGroup} (decode products that share an input, run in one fork/join).
     *
     * @throws IllegalArgumentException for matrices not made by {@link #of}, or of different widths
     */
    public static MatvecGroup group(WeightMatrix... matrices) {
        BlockMatrix[] blocks = new BlockMatrix[matrices.length];
        for (int i = 0; i < matrices.length; i++) {
            if (!(matrices[i] instanceof BlockMatrix b)) {
                throw new IllegalArgumentException("not a matrix made by WeightMatrices.of: " + matrices[i]);
            }
            blocks[i] = b;
        }
        return new MatvecGroup(blocks);
    }

    /** Whether {@link #of} accepts weights of this type. */
    public static boolean isSupported(GgmlType type) {
        return formatOrNull(type) != null;
    }

    static WeightFormat format(GgmlType type) {
        WeightFormat f = formatOrNull(type);
        if (f == null) {
            throw new IllegalArgumentException("unsupported weight type " + type + " for tensor");
        }
        return f;
    }

    private static WeightFormat formatOrNull(GgmlType type) {
        return switch (type) {
            case F32 -> new F32Format();
            case F16 -> new F16Format();
            case BF16 -> new BF16Format();
            case Q8_0 -> new Q8_0Format();
            case Q4_0 -> new Q4_0Format();
            case Q4_1 -> new Q4_1Format();
            case Q5_0 -> new Q5_0Format();
            case Q5_1 -> new Q5_1Format();
            case Q2_K -> new Q2_KFormat();
            case Q3_K -> new Q3_KFormat();
            case Q4_K -> new Q4_KFormat();
            case Q5_K -> new Q5_KFormat();
            case Q6_K -> new Q6_KFormat();
            default -> null;
        };
    }
}
