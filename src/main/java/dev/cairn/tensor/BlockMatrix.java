package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/** A weight matrix kept in its file's (memory-mapped) encoding; rows are contiguous runs of blocks. */
final class BlockMatrix implements WeightMatrix {
    private final WeightFormat format;
    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final long rowBytes;
    private final PanelGemm gemm;
    /** This matrix alone as a matvec group: decode's tasks, cut once. */
    private MatvecGroup single;

    BlockMatrix(WeightFormat format, MemorySegment data, int rows, int cols, PanelGemm gemm) {
        this.format = format;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = format.type.byteSize(cols);
        this.gemm = gemm;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public GgmlType type() {
        return format.type;
    }

    @Override
    public void matmul(float[] x, int n, float[] out, ThreadPool pool) {
        if (n < 0 || x.length < (long) n * cols || out.length < (long) n * rows) {
            throw new IllegalArgumentException("matmul of " + this + " with " + n + " tokens: x has " + x.length
                    + " floats, out has " + out.length);
        }
        if (n < gemm.kernel().tokens()) {
            // Fewer tokens than one micro-kernel group: packing a panel costs more than reading the weights once per
            // token with the fused dot (docs/performance.md has the per-weight costs).
            for (int t = 0; t < n; t++) {
                matvec(x, t * cols, out, t * rows, pool);
            }
        } else {
            gemm.multiply(this, x, n, out, pool);
        }
    }

    @Override
    public void matvec(float[] x, float[] out, ThreadPool pool) {
        if (x.length < cols || out.length < rows) {
            throw new IllegalArgumentException("matvec of " + this + ": x has " + x.length + " floats, out has "
                    + out.length);
        }
        matvec(x, 0, out, 0, pool);
    }

    private void matvec(float[] x, int xOff, float[] out, int outOff, ThreadPool pool) {
        if (single == null) {
            single = new MatvecGroup(this);
        }
        single.matvec(x, xOff, new float[][] {out}, outOff, pool);
    }

    /** {@code out[outOff + r] = dot(W[r], x[xOff ..])} for rows [r0, r1); xSums as the format's fused dot wants. */
    void dotRows(int r0, int r1, float[] x, int xOff, float[] out, int outOff, float[] xSums) {
        for (int r = r0; r < r1; r++) {
            out[outOff + r] = format.dot(data, r * rowBytes, x, xOff, cols, xSums);
        }
    }

    boolean usesSubBlockSums() {
        return format.usesSubBlockSums();
    }

    long rowBytes() {
        return rowBytes;
    }

    static float[] subBlockSums(float[] x, int xOff, int cols) {
        float[] sums = new float[cols / 32];
        for (int i = 0; i < sums.length; i++) {
            float s = 0;
            for (int k = 0; k < 32; k++) {
                s += x[xOff + 32 * i + k];
            }
            sums[i] = s;
        }
        return sums;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        dequantize(row, 0, cols, dst, dstOffset);
    }

    /** Columns [k0, k0 + count) of {@code row} into {@code dst[0 ..]}; k0 starts a block. */
    void dequantize(int row, int k0, int count, float[] dst) {
        dequantize(row, k0, count, dst, 0);
    }

    private void dequantize(int row, int k0, int count, float[] dst, int dstOffset) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + this);
        }
        format.dequantize(data, row * rowBytes + format.offsetOf(k0), count, dst, dstOffset);
    }

    @Override
    public String toString() {
        return format + "[" + rows + " x " + cols + "]";
    }
}
