package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

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

    /** Whether {@link #of} accepts weights of this type (the table's {@link GgmlType#weights()}). */
    public static boolean isSupported(GgmlType type) {
        return type.weights();
    }

    static WeightFormat format(GgmlType type) {
        WeightFormat f = FORMATS.get(type);
        if (f == null) {
            throw new IllegalArgumentException("unsupported weight type " + type + " for tensor (supported: "
                    + GgmlType.names(GgmlType.weightTypes()) + ")");
        }
        return f;
    }

    /** The kernel of each weight type of the table; each format names its own type. */
    private static final Map<GgmlType, WeightFormat> FORMATS = formats(new F32Format(), new F16Format(),
            new BF16Format(), new Q8_0Format(), new Q4_0Format(), new Q4_1Format(), new Q5_0Format(), new Q5_1Format(),
            new Q2_KFormat(), new Q3_KFormat(), new Q4_KFormat(), new Q5_KFormat(), new Q6_KFormat());

    private static Map<GgmlType, WeightFormat> formats(WeightFormat... formats) {
        Map<GgmlType, WeightFormat> map = new EnumMap<>(GgmlType.class);
        for (WeightFormat f : formats) {
            map.put(f.type, f);
        }
        if (!map.keySet().equals(Set.copyOf(GgmlType.weightTypes()))) {
            throw new IllegalStateException("kernel formats " + map.keySet() + " do not match the weight types of "
                    + "GgmlType " + GgmlType.weightTypes());
        }
        return map;
    }
}
