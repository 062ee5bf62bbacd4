package dev.cairn.tensor;

import java.util.Arrays;

/**
 * Several weight matrices of the same width multiplied by one vector in a single fork/join (decode's Q/K/V, or gate
 * and up). A decode step is a chain of short matrix-vector products, so each join costs a wait on the slowest worker;
 * on shared cores that worker may be descheduled. Fusing the products that share an input halves the joins per layer.
 *
 * <p>The rows of all matrices are cut into tasks of about {@link #TASK_BYTES} of weights each (contiguous rows of one
 * matrix, so a task streams one long run of memory), precomputed once.
 */
public final class MatvecGroup {
    /**
     * Weight bytes per task. Measured on 2 shared cores (TinyLlama-shaped Q8_0 decode, tokens/s): 64 KiB 19-20,
     * 256 KiB 26-28, 512 KiB 30-30.4, 1 MiB 21-30; KernelBench Q8_0 2048x2048 matvec: 64 KiB 20-25 GB/s, 1 MiB 41-45.
     * Each task starts a new stream through memory, and the hardware prefetcher needs a while to ramp up on it; small
     * tasks spend much of their time in that ramp. Larger tasks balance worse across the two threads.
     */
    static final long TASK_BYTES = 512 * 1024;

    private final BlockMatrix[] matrices;
    private final int cols;
    private final boolean subBlockSums;
    /** Task t covers rows [taskRow0[t], taskRow1[t]) of matrices[taskMatrix[t]]. */
    private final int[] taskMatrix, taskRow0, taskRow1;

    MatvecGroup(BlockMatrix... matrices) {
        if (matrices.length == 0) {
            throw new IllegalArgumentException("a matvec group needs at least one matrix");
        }
        this.matrices = matrices.clone();
        this.cols = matrices[0].cols();
        boolean sums = false;
        int tasks = 0;
        for (BlockMatrix m : matrices) {
            if (m.cols() != cols) {
                throw new IllegalArgumentException("matrices of a matvec group share their width: " + m + " vs "
                        + matrices[0]);
            }
            sums |= m.usesSubBlockSums();
            tasks += (m.rows() + rowsPerTask(m) - 1) / rowsPerTask(m);
        }
        this.subBlockSums = sums;
        taskMatrix = new int[tasks];
        taskRow0 = new int[tasks];
        taskRow1 = new int[tasks];
        int t = 0;
        for (int i = 0; i < matrices.length; i++) {
            int per = rowsPerTask(matrices[i]);
            for (int r = 0; r < matrices[i].rows(); r += per, t++) {
                taskMatrix[t] = i;
                taskRow0[t] = r;
                taskRow1[t] = Math.min(matrices[i].rows(), r + per);
            }
        }
    }

    /** Rows per task for {@link #TASK_BYTES}, rounded to a multiple of 16 so neighbouring tasks write whole lines. */
    private static int rowsPerTask(BlockMatrix m) {
        long rows = Math.max(1, TASK_BYTES / m.rowBytes());
        return (int) Math.max(16, rows / 16 * 16);
    }

    public int cols() {
        return cols;
    }

    /** {@code outs[i][r] = dot(W_i[r], x)} for every matrix i of the group, in one parallelFor. */
    public void matvec(float[] x, float[][] outs, ThreadPool pool) {
        matvec(x, 0, outs, 0, pool);
    }

    /** As {@link #matvec(float[], float[][], ThreadPool)} with x from {@code xOff} and outputs from {@code outOff}. */
    void matvec(float[] x, int xOff, float[][] outs, int outOff, ThreadPool pool) {
        if (outs.length != matrices.length || x.length - xOff < cols) {
            throw new IllegalArgumentException("matvec of " + this + ": x has " + x.length + " floats, "
                    + outs.length + " outputs");
        }
        for (int i = 0; i < outs.length; i++) {
            if (outs[i].length - outOff < matrices[i].rows()) {
                throw new IllegalArgumentException("matvec of " + this + ": output " + i + " has " + outs[i].length
                        + " floats for " + matrices[i].rows() + " rows");
            }
        }
        float[] xSums = subBlockSums ? BlockMatrix.subBlockSums(x, xOff, cols) : null;
        pool.parallelFor(taskMatrix.length, t -> matrices[taskMatrix[t]].dotRows(taskRow0[t], taskRow1[t], x, xOff,
                outs[taskMatrix[t]], outOff, xSums));
    }

    @Override
    public String toString() {
        return "group" + Arrays.toString(matrices);
    }
}
