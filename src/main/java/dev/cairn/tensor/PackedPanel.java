package dev.cairn.tensor;

import java.util.Arrays;

/**
 * A panel of weight rows dequantized to floats and interleaved along the output dimension:
 * {@code w[k * rows + r]} holds weight row {@code r0 + r}, column {@code k0 + k}. Rows past the matrix end are zero.
 * One per thread, reused across calls.
 */
final class PackedPanel {
    final int rows;
    final float[] w;
    private final float[] rowBuffer;
    int kc;
    int k0;
    int r0;
    int validRows;

    PackedPanel(int rows, int maxKc) {
        this.rows = rows;
        this.w = new float[rows * maxKc];
        this.rowBuffer = new float[maxKc];
    }

    /** Dequantizes rows [r0, r0 + rows) x columns [k0, k0 + kc) of {@code m} into the panel. */
    void pack(BlockMatrix m, int r0, int k0, int kc) {
        this.r0 = r0;
        this.k0 = k0;
        this.kc = kc;
        this.validRows = Math.min(rows, m.rows() - r0);
        float[] buf = rowBuffer;
        for (int r = 0; r < validRows; r++) {
            m.dequantize(r0 + r, k0, kc, buf);
            for (int k = 0, i = r; k < kc; k++, i += rows) {
                w[i] = buf[k];
            }
        }
        if (validRows < rows) {
            for (int k = 0; k < kc; k++) {
                Arrays.fill(w, k * rows + validRows, (k + 1) * rows, 0f);
            }
        }
    }
}
