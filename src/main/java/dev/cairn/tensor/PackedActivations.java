package dev.cairn.tensor;

/**
 * Activations regrouped for the micro-kernel: tokens in groups of {@code group}, and within a group the values of
 * one column are adjacent: {@code data[(g * cols + k) * group + j]} = x[token g * group + j][k]. Missing tokens of
 * the last group are zero. Reused by the calling thread across calls.
 */
final class PackedActivations {
    private static final ThreadLocal<PackedActivations> REUSED = ThreadLocal.withInitial(PackedActivations::new);

    float[] data = new float[0];
    int n;
    int cols;
    int group;

    static PackedActivations pack(float[] x, int n, int cols, int group) {
        PackedActivations a = REUSED.get();
        int groups = (n + group - 1) / group;
        int size = groups * cols * group;
        if (a.data.length < size) {
            a.data = new float[size];
        }
        a.n = n;
        a.cols = cols;
        a.group = group;
        float[] d = a.data;
        for (int g = 0; g < groups; g++) {
            int base = g * cols * group;
            for (int j = 0; j < group; j++) {
                int t = g * group + j;
                if (t < n) {
                    for (int k = 0, src = t * cols, dst = base + j; k < cols; k++, dst += group) {
                        d[dst] = x[src + k];
                    }
                } else {
                    for (int k = 0, dst = base + j; k < cols; k++, dst += group) {
                        d[dst] = 0f;
                    }
                }
            }
        }
        return a;
    }

    int groups() {
        return (n + group - 1) / group;
    }

    /** Index of column {@code k} of group {@code g}. */
    int index(int g, int k) {
        return (g * cols + k) * group;
    }
}
