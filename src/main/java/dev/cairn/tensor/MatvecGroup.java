package dev.cairn.tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Several weight matrices of the same width multiplied by one vector in a single fork/join (decode's Q/K/V, or gate
 * and up). A decode step is a chain of short matrix-vector products, so each join costs a wait on the slowest worker;
 * on shared cores that worker may be descheduled. Fusing the products that share an input halves the joins per layer.
 *
 * <p>The rows of all matrices are cut once into chunks of about {@link #CHUNK_BYTES} of weights (contiguous rows of one
 * matrix), and the chunks into one contiguous run per thread: each thread streams through its own run (the hardware
 * prefetcher keeps up with a long run, not with chunks scattered between threads), then helps with the others'.
 */
public final class MatvecGroup {
    /**
     * Weight bytes per chunk (the unit a thread claims). What matters most is that each thread streams one long
     * contiguous run (small chunks handed out alternately were far slower: docs/performance.md). Small chunks keep
     * the wait for a descheduled thread short.
     */
    static final long CHUNK_BYTES = 32 * 1024;

    /** Ints between the lanes' claim counters: one cache line each. */
    private static final int PAD = 16;

    private final BlockMatrix[] matrices;
    private final int cols;
    private final boolean subBlockSums;
    /** Chunk t covers rows [chunkRow0[t], chunkRow1[t]) of matrices[chunkMatrix[t]]. */
    private final int[] chunkMatrix, chunkRow0, chunkRow1;

    MatvecGroup(BlockMatrix... matrices) {
        if (matrices.length == 0) {
            throw new IllegalArgumentException("a matvec group needs at least one matrix");
        }
        this.matrices = matrices.clone();
        this.cols = matrices[0].cols();
        boolean sums = false;
        int chunks = 0;
        for (BlockMatrix m : matrices) {
            if (m.cols() != cols) {
                throw new IllegalArgumentException("matrices of a matvec group share their width: " + m + " vs "
                        + matrices[0]);
            }
            sums |= m.usesSubBlockSums();
            chunks += (m.rows() + rowsPerChunk(m) - 1) / rowsPerChunk(m);
        }
        this.subBlockSums = sums;
        chunkMatrix = new int[chunks];
        chunkRow0 = new int[chunks];
        chunkRow1 = new int[chunks];
        int t = 0;
        for (int i = 0; i < matrices.length; i++) {
            int per = rowsPerChunk(matrices[i]);
            for (int r = 0; r < matrices[i].rows(); r += per, t++) {
                chunkMatrix[t] = i;
                chunkRow0[t] = r;
                chunkRow1[t] = Math.min(matrices[i].rows(), r + per);
            }
        }
    }

    /** Rows per chunk for {@link #CHUNK_BYTES}, rounded to a multiple of 16 so neighbouring chunks write whole lines. */
    private static int rowsPerChunk(BlockMatrix m) {
        long rows = Math.max(1, CHUNK_BYTES / m.rowBytes());
        return (int) Math.max(16, rows / 16 * 16);
    }

    public int cols() {
        return cols;
    }

    /** How many matrices the group multiplies. */
    public int size() {
        return matrices.length;
    }

    /** The rows of matrix {@code i} (the length of its output). */
    public int rows(int i) {
        return matrices[i].rows();
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
        int chunks = chunkMatrix.length;
        int lanes = Math.min(pool.threads(), chunks);
        // Lane i owns chunks [i * chunks / lanes, (i + 1) * chunks / lanes) and claims them front to back, so each
        // thread streams one long run; a lane that finishes takes the remaining chunks of the others, so a
        // descheduled thread holds up only the chunk it is in.
        AtomicIntegerArray next = new AtomicIntegerArray(lanes * PAD);
        for (int i = 0; i < lanes; i++) {
            next.set(i * PAD, (int) ((long) i * chunks / lanes));
        }
        pool.parallelFor(lanes, lane -> {
            for (int k = 0; k < lanes; k++) {
                int j = (lane + k) % lanes;
                int end = (int) ((long) (j + 1) * chunks / lanes);
                int t;
                while ((t = next.getAndIncrement(j * PAD)) < end) {
                    matrices[chunkMatrix[t]].dotRows(chunkRow0[t], chunkRow1[t], x, xOff, outs[chunkMatrix[t]], outOff,
                            xSums);
                }
            }
        });
    }

    @Override
    public String toString() {
        return "group" + Arrays.toString(matrices);
    }
}
