package dev.cairn.tensor;

/**
 * The one prefill GEMM for every weight type. A row panel of the weights is dequantized once per column block
 * (through the type's {@link WeightFormat}) into a packed float tile that stays in cache while the micro-kernel
 * runs it against every token of the chunk. Work is split across the pool by row panels.
 */
final class PanelGemm {
    /** Columns per packed panel: the panel (rows x KC floats) stays in L1/L2 while all tokens pass over it. */
    static final int KC = 256;

    private final MicroKernel kernel;
    private final ThreadLocal<PackedPanel> panels;

    PanelGemm(MicroKernel kernel) {
        this.kernel = kernel;
        this.panels = ThreadLocal.withInitial(() -> new PackedPanel(kernel.rows(), KC));
    }

    static final PanelGemm PREFERRED = new PanelGemm(new Kernel2x6());

    MicroKernel kernel() {
        return kernel;
    }

    /** {@code out[t * rows + r] = dot(W[r], x[t])} for t in [0, n). */
    void multiply(BlockMatrix m, float[] x, int n, float[] out, ThreadPool pool) {
        PackedActivations packed = PackedActivations.pack(x, n, m.cols(), kernel.tokens());
        int rows = m.rows();
        int panelRows = kernel.rows();
        int count = (rows + panelRows - 1) / panelRows;
        pool.parallelFor(count, p -> multiplyPanel(m, p * panelRows, packed, out));
    }

    private void multiplyPanel(BlockMatrix m, int r0, PackedActivations x, float[] out) {
        PackedPanel panel = panels.get();
        int cols = m.cols();
        for (int k0 = 0; k0 < cols; k0 += KC) {
            panel.pack(m, r0, k0, Math.min(KC, cols - k0));
            kernel.multiply(panel, x, out, m.rows(), k0 > 0);
        }
    }
}
