package dev.cairn.gguf;

import java.util.Arrays;

/**
 * One tensor's description. {@code shape} is in ggml order: shape[0] is the innermost (contiguous) dimension,
 * so a weight matrix has shape {cols, rows}. {@code offset} is relative to the start of the tensor data section.
 */
public record TensorInfo(String name, long[] shape, GgmlType type, long offset) {
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return type.byteSize(elementCount());
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
