package dev.cairn.model;

import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Element-wise steps of the forward pass, vectorized; each works on one row so batch and single-token results agree. */
final class VectorOps {

    private VectorOps() {
    }

    /** {@code out[oo..] = x[xo..] / rms(x) * w}, over {@code n} elements (ggml: x * 1/sqrt(mean(x^2) + eps), then * w). */
    static void rmsNorm(float[] x, int xo, float[] w, float[] out, int oo, int n, float eps) {
        int i = 0;
        FloatVector acc = FloatVector.zero(FLOATS);
        for (; i + FLOAT_LANES <= n; i += FLOAT_LANES) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xo + i);
            acc = v.fma(v, acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += (double) x[xo + i] * x[xo + i];
        }
        float scale = (float) (1.0 / Math.sqrt(sum / n + eps));
        i = 0;
        for (; i + FLOAT_LANES <= n; i += FLOAT_LANES) {
            FloatVector.fromArray(FLOATS, x, xo + i).mul(scale).mul(FloatVector.fromArray(FLOATS, w, i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = x[xo + i] * scale * w[i];
        }
    }

    /** {@code dst[0..n) += src[0..n)}. */
    static void add(float[] dst, float[] src, int n) {
        int i = 0;
        for (; i + FLOAT_LANES <= n; i += FLOAT_LANES) {
            FloatVector.fromArray(FLOATS, dst, i).add(FloatVector.fromArray(FLOATS, src, i)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] += src[i];
        }
    }

    /** Adds {@code bias} to each of {@code rows} rows of {@code x}. */
    static void addBias(float[] x, int rows, float[] bias) {
        int n = bias.length;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            int i = 0;
            for (; i + FLOAT_LANES <= n; i += FLOAT_LANES) {
                FloatVector.fromArray(FLOATS, x, o + i).add(FloatVector.fromArray(FLOATS, bias, i)).intoArray(x, o + i);
            }
            for (; i < n; i++) {
                x[o + i] += bias[i];
            }
        }
    }

    /** SwiGLU on one row: {@code gate[o+i] = silu(gate[o+i]) * up[o+i]} with silu(g) = g / (1 + e^-g). */
    static void swiglu(float[] gate, float[] up, int o, int n) {
        int i = 0;
        for (; i + FLOAT_LANES <= n; i += FLOAT_LANES) {
            FloatVector g = FloatVector.fromArray(FLOATS, gate, o + i);
            FloatVector silu = g.div(g.neg().lanewise(VectorOperators.EXP).add(1f));
            silu.mul(FloatVector.fromArray(FLOATS, up, o + i)).intoArray(gate, o + i);
        }
        for (; i < n; i++) {
            float g = gate[o + i];
            gate[o + i] = g / (1f + (float) Math.exp(-g)) * up[o + i];
        }
    }
}
