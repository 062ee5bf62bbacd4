package dev.cairn.tensor;

import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The GEMM micro-kernel, at the machine's preferred vector width: 32 rows per panel with AVX-512, 16 with AVX2
 * (12 accumulators + 2 panel vectors + 1 broadcast fit AVX2's 16 registers); 2x6 was the fastest of the shapes
 * measured (docs/performance.md).
 * 2 vectors x 6 tokens = 12 accumulators, unrolled by hand (only named locals stay in registers).
 * Per column k: 2 panel loads, 6 broadcasts, 12 FMAs.
 */
final class Kernel2x6 implements MicroKernel {
    private static final int ROWS = 2 * FLOAT_LANES;
    private static final int TOKENS = 6;

    @Override
    public int rows() {
        return ROWS;
    }

    @Override
    public int tokens() {
        return TOKENS;
    }

    @Override
    public void multiply(PackedPanel panel, PackedActivations x, float[] out, int outRows, boolean accumulate) {
        for (int g = 0, groups = x.groups(); g < groups; g++) {
            int t0 = g * TOKENS;
            group(panel, x.data, x.index(g, panel.k0), out, t0 * outRows + panel.r0, outRows,
                    Math.min(TOKENS, x.n - t0), accumulate);
        }
    }

    private static void group(PackedPanel panel, float[] x, int xi, float[] out, int o, int outRows, int tokens,
            boolean accumulate) {
        float[] w = panel.w;
        int kc = panel.kc;
        int valid = panel.validRows;
        FloatVector c00 = FloatVector.zero(FLOATS), c01 = FloatVector.zero(FLOATS);
        FloatVector c10 = FloatVector.zero(FLOATS), c11 = FloatVector.zero(FLOATS);
        FloatVector c20 = FloatVector.zero(FLOATS), c21 = FloatVector.zero(FLOATS);
        FloatVector c30 = FloatVector.zero(FLOATS), c31 = FloatVector.zero(FLOATS);
        FloatVector c40 = FloatVector.zero(FLOATS), c41 = FloatVector.zero(FLOATS);
        FloatVector c50 = FloatVector.zero(FLOATS), c51 = FloatVector.zero(FLOATS);
        for (int k = 0, wi = 0; k < kc; k++, wi += ROWS, xi += TOKENS) {
            FloatVector w0 = FloatVector.fromArray(FLOATS, w, wi);
            FloatVector w1 = FloatVector.fromArray(FLOATS, w, wi + FLOAT_LANES);
            FloatVector b = FloatVector.broadcast(FLOATS, x[xi]);
            c00 = w0.fma(b, c00);
            c01 = w1.fma(b, c01);
            b = FloatVector.broadcast(FLOATS, x[xi + 1]);
            c10 = w0.fma(b, c10);
            c11 = w1.fma(b, c11);
            b = FloatVector.broadcast(FLOATS, x[xi + 2]);
            c20 = w0.fma(b, c20);
            c21 = w1.fma(b, c21);
            b = FloatVector.broadcast(FLOATS, x[xi + 3]);
            c30 = w0.fma(b, c30);
            c31 = w1.fma(b, c31);
            b = FloatVector.broadcast(FLOATS, x[xi + 4]);
            c40 = w0.fma(b, c40);
            c41 = w1.fma(b, c41);
            b = FloatVector.broadcast(FLOATS, x[xi + 5]);
            c50 = w0.fma(b, c50);
            c51 = w1.fma(b, c51);
        }
        if (valid == ROWS) { // a full panel: plain stores, inlined (a vector passed to a call is allocated)
            (accumulate ? c00.add(FloatVector.fromArray(FLOATS, out, o)) : c00).intoArray(out, o);
            (accumulate ? c01.add(FloatVector.fromArray(FLOATS, out, o + FLOAT_LANES)) : c01).intoArray(out, o + FLOAT_LANES);
            if (tokens > 1) {
                (accumulate ? c10.add(FloatVector.fromArray(FLOATS, out, o + outRows)) : c10).intoArray(out, o + outRows);
                (accumulate ? c11.add(FloatVector.fromArray(FLOATS, out, o + outRows + FLOAT_LANES)) : c11)
                        .intoArray(out, o + outRows + FLOAT_LANES);
            }
            if (tokens > 2) {
                (accumulate ? c20.add(FloatVector.fromArray(FLOATS, out, o + 2 * outRows)) : c20)
                        .intoArray(out, o + 2 * outRows);
                (accumulate ? c21.add(FloatVector.fromArray(FLOATS, out, o + 2 * outRows + FLOAT_LANES)) : c21)
                        .intoArray(out, o + 2 * outRows + FLOAT_LANES);
            }
            if (tokens > 3) {
                (accumulate ? c30.add(FloatVector.fromArray(FLOATS, out, o + 3 * outRows)) : c30)
                        .intoArray(out, o + 3 * outRows);
                (accumulate ? c31.add(FloatVector.fromArray(FLOATS, out, o + 3 * outRows + FLOAT_LANES)) : c31)
                        .intoArray(out, o + 3 * outRows + FLOAT_LANES);
            }
            if (tokens > 4) {
                (accumulate ? c40.add(FloatVector.fromArray(FLOATS, out, o + 4 * outRows)) : c40)
                        .intoArray(out, o + 4 * outRows);
                (accumulate ? c41.add(FloatVector.fromArray(FLOATS, out, o + 4 * outRows + FLOAT_LANES)) : c41)
                        .intoArray(out, o + 4 * outRows + FLOAT_LANES);
            }
            if (tokens > 5) {
                (accumulate ? c50.add(FloatVector.fromArray(FLOATS, out, o + 5 * outRows)) : c50)
                        .intoArray(out, o + 5 * outRows);
                (accumulate ? c51.add(FloatVector.fromArray(FLOATS, out, o + 5 * outRows + FLOAT_LANES)) : c51)
                        .intoArray(out, o + 5 * outRows + FLOAT_LANES);
            }
        } else { // the last, partial panel of the matrix
            put(c00, out, o, valid, accumulate);
            put(c01, out, o + FLOAT_LANES, valid - FLOAT_LANES, accumulate);
            if (tokens > 1) {
                put(c10, out, o + outRows, valid, accumulate);
                put(c11, out, o + outRows + FLOAT_LANES, valid - FLOAT_LANES, accumulate);
            }
            if (tokens > 2) {
                put(c20, out, o + 2 * outRows, valid, accumulate);
                put(c21, out, o + 2 * outRows + FLOAT_LANES, valid - FLOAT_LANES, accumulate);
            }
            if (tokens > 3) {
                put(c30, out, o + 3 * outRows, valid, accumulate);
                put(c31, out, o + 3 * outRows + FLOAT_LANES, valid - FLOAT_LANES, accumulate);
            }
            if (tokens > 4) {
                put(c40, out, o + 4 * outRows, valid, accumulate);
                put(c41, out, o + 4 * outRows + FLOAT_LANES, valid - FLOAT_LANES, accumulate);
            }
            if (tokens > 5) {
                put(c50, out, o + 5 * outRows, valid, accumulate);
                put(c51, out, o + 5 * outRows + FLOAT_LANES, valid - FLOAT_LANES, accumulate);
            }
        }
    }

    private static void put(FloatVector c, float[] out, int i, int lanes, boolean accumulate) {
        if (lanes >= FLOAT_LANES) {
            (accumulate ? c.add(FloatVector.fromArray(FLOATS, out, i)) : c).intoArray(out, i);
        } else if (lanes > 0) {
            VectorMask<Float> m = FLOATS.indexInRange(0, lanes);
            (accumulate ? c.add(FloatVector.fromArray(FLOATS, out, i, m)) : c).intoArray(out, i, m);
        }
    }
}
