package dev.cairn.model;

import static dev.cairn.tensor.Lanes.FLOATS;
import static dev.cairn.tensor.Lanes.FLOAT_LANES;
import static dev.cairn.tensor.Lanes.FLOATS_256;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Causal softmax attention of query rows against one KV head's keys and values (see {@link ArrayKvCache.HeadView}).
 * Scores are computed for a block of positions at a time with the keys transposed, so the inner loop is a broadcast
 * FMA per head dimension with no horizontal sums; up to four query rows share each key load.
 */
final class Attention {
    /** Positions per key block in {@link #scoreGroups}: 64 dims x 64 positions of floats is 16 KiB, inside L1. */
    private static final int POSITION_BLOCK = 64;

    private final int headDim;
    private final float scale;

    Attention(int headDim) {
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * For each query row t in {@code [0, rows)} (at {@code q[qOff + t*qStride]}), attends over positions
     * {@code [0, firstLimit + t)} and writes the result to {@code out[outOff + t*outStride]}. {@code scores} must hold
     * {@code max(4, rows) * (firstLimit + rows)} floats.
     */
    void run(float[] q, int qOff, int qStride, int rows, int firstLimit, ArrayKvCache.HeadView kv,
             float[] out, int outOff, int outStride, float[] scores) {
        int stride = firstLimit + rows;
        int groups = rows / 4;
        scoreGroups(q, qOff, qStride, groups, firstLimit, kv, scores, stride);
        for (int g = 0; g < groups; g++) {
            int t = 4 * g;
            int maxLim = firstLimit + t + 3;
            for (int i = 0; i < 4; i++) {
                int lim = firstLimit + t + i;
                int so = (t + i) * stride;
                softmax(scores, so, lim);
                // Zero weights past a row's causal limit let the four rows share one pass over the values; adding
                // 0 * v leaves each sum exactly as a single-row pass would compute it.
                java.util.Arrays.fill(scores, so + lim, so + maxLim, 0f);
            }
            if (headDim % (4 * FLOAT_LANES) == 0) {
                weightedSum4(scores, t * stride, stride, maxLim, kv.values, kv.valuesOffset, out,
                        outOff + t * outStride, outStride);
            } else {
                for (int i = 0; i < 4; i++) {
                    weightedSum(scores, (t + i) * stride, firstLimit + t + i, kv, out, outOff + (t + i) * outStride);
                }
            }
        }
        for (int t = 4 * groups; t < rows; t++) {
            int lim = firstLimit + t;
            scores1(q, qOff + t * qStride, lim, kv, scores);
            softmax(scores, 0, lim);
            weightedSum(scores, 0, lim, kv, out, outOff + t * outStride);
        }
    }

    /**
     * One query position for {@code heads} query heads that share this KV head (decode under grouped-query
     * attention): head h's query is at {@code q[qOff + h * headDim]} and its output goes to
     * {@code out[outOff + h * headDim]}; every head attends over positions {@code [0, limit)}. Four heads at a time
     * share each key and value load, so the head's cache is read once per four heads instead of once per head (one head at a time,
     * attention over a long cache took a large share of a decode step; figures in docs/performance.md).
     * Each result is the same FMA chain as {@link #run} computes for one row. {@code scores} must hold
     * {@code max(4, heads) * limit} floats.
     */
    void runHeads(float[] q, int qOff, int heads, int limit, ArrayKvCache.HeadView kv, float[] out, int outOff,
                  float[] scores) {
        int full = heads / 4 * 4;
        for (int pb = 0; pb < limit; pb += POSITION_BLOCK) {
            for (int h = 0; h < full; h += 4) {
                scores4(q, qOff + h * headDim, headDim, pb, Math.min(pb + POSITION_BLOCK, limit), kv, scores,
                        h * limit, limit);
            }
        }
        for (int h = 0; h < full; h++) {
            softmax(scores, h * limit, limit);
        }
        for (int h = 0; h < full; h += 4) {
            if (headDim % (4 * FLOAT_LANES) == 0) {
                weightedSum4(scores, h * limit, limit, limit, kv.values, kv.valuesOffset, out, outOff + h * headDim,
                        headDim);
            } else {
                for (int i = h; i < h + 4; i++) {
                    weightedSum(scores, i * limit, limit, kv, out, outOff + i * headDim);
                }
            }
        }
        for (int h = full; h < heads; h++) {
            scores1(q, qOff + h * headDim, limit, kv, scores);
            softmax(scores, 0, limit);
            weightedSum(scores, 0, limit, kv, out, outOff + h * headDim);
        }
    }

    /**
     * Scores of {@code groups} groups of four query rows. Positions are walked in blocks of {@link #POSITION_BLOCK}
     * with every group inside, so a block of transposed keys is loaded from L2 once and reused from L1 by all groups.
     * Every score is the same FMA chain over the head dimension whichever loop computes it.
     */
    private void scoreGroups(float[] q, int qOff, int qStride, int groups, int firstLimit, ArrayKvCache.HeadView kv,
                             float[] sc, int stride) {
        int end = firstLimit + 4 * groups - 1;
        for (int pb = 0; pb < end; pb += POSITION_BLOCK) {
            for (int g = 0; g < groups; g++) {
                int lim = firstLimit + 4 * g + 3;
                if (pb < lim) {
                    scores4(q, qOff + 4 * g * qStride, qStride, pb, Math.min(pb + POSITION_BLOCK, lim), kv, sc,
                            4 * g * stride, stride);
                }
            }
        }
    }

    /** Scores of four query rows for positions {@code [from, to)} into {@code sc[so + i*stride + p]}. */
    private void scores4(float[] q, int qo, int qs, int from, int to, ArrayKvCache.HeadView kv, float[] sc, int so,
                         int stride) {
        float[] k = kv.keys;
        int ko = kv.keysOffset, ks = kv.keysStride;
        int p = from;
        // Two key vectors by four query rows: eight accumulators, six loads per eight FMAs.
        for (; p + 2 * FLOAT_LANES <= to; p += 2 * FLOAT_LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int d = 0; d < headDim; d++) {
                int row = ko + d * ks + p;
                FloatVector k0 = FloatVector.fromArray(FLOATS, k, row);
                FloatVector k1 = FloatVector.fromArray(FLOATS, k, row + FLOAT_LANES);
                FloatVector q0 = FloatVector.broadcast(FLOATS, q[qo + d]);
                FloatVector q1 = FloatVector.broadcast(FLOATS, q[qo + qs + d]);
                FloatVector q2 = FloatVector.broadcast(FLOATS, q[qo + 2 * qs + d]);
                FloatVector q3 = FloatVector.broadcast(FLOATS, q[qo + 3 * qs + d]);
                a0 = k0.fma(q0, a0);
                a1 = k0.fma(q1, a1);
                a2 = k0.fma(q2, a2);
                a3 = k0.fma(q3, a3);
                b0 = k1.fma(q0, b0);
                b1 = k1.fma(q1, b1);
                b2 = k1.fma(q2, b2);
                b3 = k1.fma(q3, b3);
            }
            a0.mul(scale).intoArray(sc, so + p);
            a1.mul(scale).intoArray(sc, so + stride + p);
            a2.mul(scale).intoArray(sc, so + 2 * stride + p);
            a3.mul(scale).intoArray(sc, so + 3 * stride + p);
            b0.mul(scale).intoArray(sc, so + p + FLOAT_LANES);
            b1.mul(scale).intoArray(sc, so + stride + p + FLOAT_LANES);
            b2.mul(scale).intoArray(sc, so + 2 * stride + p + FLOAT_LANES);
            b3.mul(scale).intoArray(sc, so + 3 * stride + p + FLOAT_LANES);
        }
        for (; p + FLOAT_LANES <= to; p += FLOAT_LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0;
            for (int d = 0; d < headDim; d++) {
                FloatVector kvec = FloatVector.fromArray(FLOATS, k, ko + d * ks + p);
                a0 = kvec.fma(FloatVector.broadcast(FLOATS, q[qo + d]), a0);
                a1 = kvec.fma(FloatVector.broadcast(FLOATS, q[qo + qs + d]), a1);
                a2 = kvec.fma(FloatVector.broadcast(FLOATS, q[qo + 2 * qs + d]), a2);
                a3 = kvec.fma(FloatVector.broadcast(FLOATS, q[qo + 3 * qs + d]), a3);
            }
            a0.mul(scale).intoArray(sc, so + p);
            a1.mul(scale).intoArray(sc, so + stride + p);
            a2.mul(scale).intoArray(sc, so + 2 * stride + p);
            a3.mul(scale).intoArray(sc, so + 3 * stride + p);
        }
        for (; p < to; p++) {
            for (int i = 0; i < 4; i++) {
                float s = 0;
                for (int d = 0; d < headDim; d++) {
                    s = Math.fma(q[qo + i * qs + d], k[ko + d * ks + p], s);
                }
                sc[so + i * stride + p] = s * scale;
            }
        }
    }

    private void scores1(float[] q, int qo, int lim, ArrayKvCache.HeadView kv, float[] sc) {
        float[] k = kv.keys;
        int ko = kv.keysOffset, ks = kv.keysStride;
        int p = 0;
        for (; p + 2 * FLOAT_LANES <= lim; p += 2 * FLOAT_LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0;
            for (int d = 0; d < headDim; d++) {
                int row = ko + d * ks + p;
                float qd = q[qo + d];
                a0 = FloatVector.fromArray(FLOATS, k, row).fma(FloatVector.broadcast(FLOATS, qd), a0);
                a1 = FloatVector.fromArray(FLOATS, k, row + FLOAT_LANES).fma(FloatVector.broadcast(FLOATS, qd), a1);
            }
            a0.mul(scale).intoArray(sc, p);
            a1.mul(scale).intoArray(sc, p + FLOAT_LANES);
        }
        for (; p < lim; p++) {
            float s = 0;
            for (int d = 0; d < headDim; d++) {
                s = Math.fma(q[qo + d], k[ko + d * ks + p], s);
            }
            sc[p] = s * scale;
        }
    }

    private static void softmax(float[] sc, int off, int n) {
        int p = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (n >= FLOAT_LANES) {
            FloatVector m = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
            for (; p + FLOAT_LANES <= n; p += FLOAT_LANES) {
                m = m.max(FloatVector.fromArray(FLOATS, sc, off + p));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; p < n; p++) {
            max = Math.max(max, sc[off + p]);
        }
        float sum = 0;
        p = 0;
        if (n >= FLOAT_LANES) {
            FloatVector acc = FloatVector.zero(FLOATS);
            for (; p + FLOAT_LANES <= n; p += FLOAT_LANES) {
                FloatVector e = FloatVector.fromArray(FLOATS, sc, off + p).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(sc, off + p);
                acc = acc.add(e);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; p < n; p++) {
            float e = (float) Math.exp(sc[off + p] - max);
            sc[off + p] = e;
            sum += e;
        }
        float inv = 1.0f / sum;
        p = 0;
        for (; p + FLOAT_LANES <= n; p += FLOAT_LANES) {
            FloatVector.fromArray(FLOATS, sc, off + p).mul(inv).intoArray(sc, off + p);
        }
        for (; p < n; p++) {
            sc[off + p] *= inv;
        }
    }

    private void weightedSum(float[] w, int wo, int n, ArrayKvCache.HeadView kv, float[] out, int oo) {
        // Each width has its own copy: the Vector API compiles to SIMD only where the species is a constant.
        if (headDim % FLOAT_LANES == 0) {
            weightedSumPreferred(w, wo, n, kv.values, kv.valuesOffset, out, oo);
        } else if (headDim % 8 == 0) {
            weightedSum256(w, wo, n, kv.values, kv.valuesOffset, out, oo);
        } else {
            float[] v = kv.values;
            int vo = kv.valuesOffset;
            java.util.Arrays.fill(out, oo, oo + headDim, 0f);
            for (int p = 0; p < n; p++) {
                float wp = w[wo + p];
                for (int d = 0; d < headDim; d++) {
                    out[oo + d] = Math.fma(wp, v[vo + p * headDim + d], out[oo + d]);
                }
            }
        }
    }

    /**
     * Four rows of weights ({@code w[wo + i * stride + p]}, p < n) times the values, into four output rows: per position one
     * load of each value vector serves all four rows (sixteen accumulators for a block of four vectors of the head).
     */
    private void weightedSum4(float[] w, int wo, int stride, int n, float[] v, int vo, float[] out, int oo, int os) {
        for (int d = 0; d < headDim; d += 4 * FLOAT_LANES) {
            FloatVector a00 = FloatVector.zero(FLOATS), a01 = a00, a02 = a00, a03 = a00;
            FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
            FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
            FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
            for (int p = 0; p < n; p++) {
                int row = vo + p * headDim + d;
                FloatVector v0 = FloatVector.fromArray(FLOATS, v, row);
                FloatVector v1 = FloatVector.fromArray(FLOATS, v, row + FLOAT_LANES);
                FloatVector v2 = FloatVector.fromArray(FLOATS, v, row + 2 * FLOAT_LANES);
                FloatVector v3 = FloatVector.fromArray(FLOATS, v, row + 3 * FLOAT_LANES);
                FloatVector w0 = FloatVector.broadcast(FLOATS, w[wo + p]);
                a00 = v0.fma(w0, a00);
                a01 = v1.fma(w0, a01);
                a02 = v2.fma(w0, a02);
                a03 = v3.fma(w0, a03);
                FloatVector w1 = FloatVector.broadcast(FLOATS, w[wo + stride + p]);
                a10 = v0.fma(w1, a10);
                a11 = v1.fma(w1, a11);
                a12 = v2.fma(w1, a12);
                a13 = v3.fma(w1, a13);
                FloatVector w2 = FloatVector.broadcast(FLOATS, w[wo + 2 * stride + p]);
                a20 = v0.fma(w2, a20);
                a21 = v1.fma(w2, a21);
                a22 = v2.fma(w2, a22);
                a23 = v3.fma(w2, a23);
                FloatVector w3 = FloatVector.broadcast(FLOATS, w[wo + 3 * stride + p]);
                a30 = v0.fma(w3, a30);
                a31 = v1.fma(w3, a31);
                a32 = v2.fma(w3, a32);
                a33 = v3.fma(w3, a33);
            }
            store4(out, oo + d, a00, a01, a02, a03);
            store4(out, oo + os + d, a10, a11, a12, a13);
            store4(out, oo + 2 * os + d, a20, a21, a22, a23);
            store4(out, oo + 3 * os + d, a30, a31, a32, a33);
        }
    }

    private static void store4(float[] out, int o, FloatVector a, FloatVector b, FloatVector c, FloatVector d) {
        a.intoArray(out, o);
        b.intoArray(out, o + FLOAT_LANES);
        c.intoArray(out, o + 2 * FLOAT_LANES);
        d.intoArray(out, o + 3 * FLOAT_LANES);
    }

    private void weightedSumPreferred(float[] w, int wo, int n, float[] v, int vo, float[] out, int oo) {
        int d = 0;
        // Four vectors of the head at once: one broadcast weight feeds four independent FMA chains.
        for (; d + 4 * FLOAT_LANES <= headDim; d += 4 * FLOAT_LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0;
            for (int p = 0; p < n; p++) {
                FloatVector wp = FloatVector.broadcast(FLOATS, w[wo + p]);
                int row = vo + p * headDim + d;
                a0 = FloatVector.fromArray(FLOATS, v, row).fma(wp, a0);
                a1 = FloatVector.fromArray(FLOATS, v, row + FLOAT_LANES).fma(wp, a1);
                a2 = FloatVector.fromArray(FLOATS, v, row + 2 * FLOAT_LANES).fma(wp, a2);
                a3 = FloatVector.fromArray(FLOATS, v, row + 3 * FLOAT_LANES).fma(wp, a3);
            }
            a0.intoArray(out, oo + d);
            a1.intoArray(out, oo + d + FLOAT_LANES);
            a2.intoArray(out, oo + d + 2 * FLOAT_LANES);
            a3.intoArray(out, oo + d + 3 * FLOAT_LANES);
        }
        for (; d < headDim; d += FLOAT_LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0;
            int p = 0;
            for (; p + 2 <= n; p += 2) {
                a0 = FloatVector.fromArray(FLOATS, v, vo + p * headDim + d).fma(FloatVector.broadcast(FLOATS, w[wo + p]), a0);
                a1 = FloatVector.fromArray(FLOATS, v, vo + (p + 1) * headDim + d).fma(FloatVector.broadcast(FLOATS, w[wo + p + 1]), a1);
            }
            if (p < n) {
                a0 = FloatVector.fromArray(FLOATS, v, vo + p * headDim + d).fma(FloatVector.broadcast(FLOATS, w[wo + p]), a0);
            }
            a0.add(a1).intoArray(out, oo + d);
        }
    }


    private void weightedSum256(float[] w, int wo, int n, float[] v, int vo, float[] out, int oo) {
        for (int d = 0; d < headDim; d += 8) {
            FloatVector a0 = FloatVector.zero(FLOATS_256), a1 = a0;
            int p = 0;
            for (; p + 2 <= n; p += 2) {
                a0 = FloatVector.fromArray(FLOATS_256, v, vo + p * headDim + d).fma(FloatVector.broadcast(FLOATS_256, w[wo + p]), a0);
                a1 = FloatVector.fromArray(FLOATS_256, v, vo + (p + 1) * headDim + d).fma(FloatVector.broadcast(FLOATS_256, w[wo + p + 1]), a1);
            }
            if (p < n) {
                a0 = FloatVector.fromArray(FLOATS_256, v, vo + p * headDim + d).fma(FloatVector.broadcast(FLOATS_256, w[wo + p]), a0);
            }
            a0.add(a1).intoArray(out, oo + d);
        }
    }
}
