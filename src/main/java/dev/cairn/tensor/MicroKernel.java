package dev.cairn.tensor;

/**
 * The register-tiled inner kernel of the GEMM: multiplies one packed weight panel with every token group of the
 * packed activations, accumulating {@link #rows()} outputs x {@link #tokens()} tokens in vector registers (vectors
 * along the output dimension, activations broadcast, no horizontal sums).
 */
interface MicroKernel {
    /** Weight rows per panel (a multiple of the vector length). */
    int rows();

    /** Tokens per group. */
    int tokens();

    /**
     * For every token t and panel row r: {@code out[t * outRows + panel.r0 + r] (+)= sum_k panel[k][r] *
     * x[t][panel.k0 + k]}; adds to {@code out} when {@code accumulate}, else overwrites.
     */
    void multiply(PackedPanel panel, PackedActivations x, float[] out, int outRows, boolean accumulate);
}
