package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;

/**
 * A 2-D weight of {@code rows x cols}, stored row-major in its own quantization (as ggml stores it: a row is
 * {@code cols} contiguous elements). Activations are plain float arrays, one row of {@code cols} per token.
 */
public interface WeightMatrix {
    int rows();

    int cols();

    GgmlType type();

    /**
     * Batched product for prefill: for each token t in [0, n) and row r, {@code out[t * rows + r] = dot(W[r], x[t * cols ..])}.
     * Weights are read once per call, not once per token.
     */
    void matmul(float[] x, int n, float[] out, ThreadPool pool);

    /** Matrix-vector product for decode: {@code out[r] = dot(W[r], x)}. */
    void matvec(float[] x, float[] out, ThreadPool pool);

    /** Writes row {@code row} as floats into {@code dst[dstOffset .. dstOffset + cols)} (embedding lookup). */
    void dequantizeRow(int row, float[] dst, int dstOffset);
}
