package dev.cairn.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal softmax attention of query rows against one KV head's keys and values (see {@link ArrayKvCache.HeadView}).
 * Scores are computed for a block of positions at a time with the keys transposed, so the inner loop is a broadcast
 * FMA per head dimension with no horizontal sums; up to four query rows share each key load.
 */
final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final int headDim;
    private final float scale;

    Attention(int headDim) {
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * For each query row t in {@code [0, rows)} (at {@code q[qOff + t*qStride]}), attends over positions
     * {@code [0, firstLimit + t)} and writes the result to {@code out[outOff + t*outStride]}. {@code scores} must hold
     * {@code 4 * (firstLimit + rows)} floats.
     */
    void run(float[] q, int qOff, int qStride, int rows, int firstLimit, ArrayKvCache.HeadView kv,
             float[] out, int outOff, int outStride, float[] scores) {
        int t = 0;
        int stride = firstLimit + rows;
        for (; t + 4 <= rows; t += 4) {
            int maxLim = firstLimit + t + 3;
            scores4(q, qOff + t * qStride, qStride, maxLim, kv, scores, stride);
            for (int i = 0; i < 4; i++) {
                int lim = firstLimit + t + i;
                softmax(scores, i * stride, lim);
                weightedSum(scores, i * stride, lim, kv, out, outOff + (t + i) * outStride);
            }
        }
        for (; t < rows; t++) {
            int lim = firstLimit + t;
            scores1(q, qOff + t * qStride, lim, kv, scores);
            softmax(scores, 0, lim);
            weightedSum(scores, 0, lim, kv, out, outOff + t * outStride);
        }
    }

    private void scores4(float[] q, int qo, int qs, int lim, ArrayKvCache.HeadView kv, float[] sc, int stride) {
        float[] k = kv.keys;
        int ko = kv.keysOffset, ks = kv.keysStride;
        int p = 0;
        for (; p + L <= lim; p += L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int d = 0; d < headDim; d++) {
                FloatVector kvec = FloatVector.fromArray(S, k, ko + d * ks + p);
                a0 = kvec.fma(FloatVector.broadcast(S, q[qo + d]), a0);
                a1 = kvec.fma(FloatVector.broadcast(S, q[qo + qs + d]), a1);
                a2 = kvec.fma(FloatVector.broadcast(S, q[qo + 2 * qs + d]), a2);
                a3 = kvec.fma(FloatVector.broadcast(S, q[qo + 3 * qs + d]), a3);
            }
            a0.mul(scale).intoArray(sc, p);
            a1.mul(scale).intoArray(sc, stride + p);
            a2.mul(scale).intoArray(sc, 2 * stride + p);
            a3.mul(scale).intoArray(sc, 3 * stride + p);
        }
        for (; p < lim; p++) {
            for (int i = 0; i < 4; i++) {
                float s = 0;
                for (int d = 0; d < headDim; d++) {
                    s = Math.fma(q[qo + i * qs + d], k[ko + d * ks + p], s);
                }
                sc[i * stride + p] = s * scale;
            }
        }
    }

    private void scores1(float[] q, int qo, int lim, ArrayKvCache.HeadView kv, float[] sc) {
        float[] k = kv.keys;
        int ko = kv.keysOffset, ks = kv.keysStride;
        int p = 0;
        for (; p + 2 * L <= lim; p += 2 * L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0;
            for (int d = 0; d < headDim; d++) {
                int row = ko + d * ks + p;
                float qd = q[qo + d];
                a0 = FloatVector.fromArray(S, k, row).fma(FloatVector.broadcast(S, qd), a0);
                a1 = FloatVector.fromArray(S, k, row + L).fma(FloatVector.broadcast(S, qd), a1);
            }
            a0.mul(scale).intoArray(sc, p);
            a1.mul(scale).intoArray(sc, p + L);
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
        if (n >= L) {
            FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; p + L <= n; p += L) {
                m = m.max(FloatVector.fromArray(S, sc, off + p));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; p < n; p++) {
            max = Math.max(max, sc[off + p]);
        }
        float sum = 0;
        p = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (; p + L <= n; p += L) {
                FloatVector e = FloatVector.fromArray(S, sc, off + p).sub(max).lanewise(VectorOperators.EXP);
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
        for (; p + L <= n; p += L) {
            FloatVector.fromArray(S, sc, off + p).mul(inv).intoArray(sc, off + p);
        }
        for (; p < n; p++) {
            sc[off + p] *= inv;
        }
    }

    private void weightedSum(float[] w, int wo, int n, ArrayKvCache.HeadView kv, float[] out, int oo) {
        // Each width has its own copy: the Vector API compiles to SIMD only where the species is a constant.
        if (headDim % L == 0) {
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

    private void weightedSumPreferred(float[] w, int wo, int n, float[] v, int vo, float[] out, int oo) {
        int d = 0;
        // Four vectors of the head at once: one broadcast weight feeds four independent FMA chains.
        for (; d + 4 * L <= headDim; d += 4 * L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int p = 0; p < n; p++) {
                FloatVector wp = FloatVector.broadcast(S, w[wo + p]);
                int row = vo + p * headDim + d;
                a0 = FloatVector.fromArray(S, v, row).fma(wp, a0);
                a1 = FloatVector.fromArray(S, v, row + L).fma(wp, a1);
                a2 = FloatVector.fromArray(S, v, row + 2 * L).fma(wp, a2);
                a3 = FloatVector.fromArray(S, v, row + 3 * L).fma(wp, a3);
            }
            a0.intoArray(out, oo + d);
            a1.intoArray(out, oo + d + L);
            a2.intoArray(out, oo + d + 2 * L);
            a3.intoArray(out, oo + d + 3 * L);
        }
        for (; d < headDim; d += L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0;
            int p = 0;
            for (; p + 2 <= n; p += 2) {
                a0 = FloatVector.fromArray(S, v, vo + p * headDim + d).fma(FloatVector.broadcast(S, w[wo + p]), a0);
                a1 = FloatVector.fromArray(S, v, vo + (p + 1) * headDim + d).fma(FloatVector.broadcast(S, w[wo + p + 1]), a1);
            }
            if (p < n) {
                a0 = FloatVector.fromArray(S, v, vo + p * headDim + d).fma(FloatVector.broadcast(S, w[wo + p]), a0);
            }
            a0.add(a1).intoArray(out, oo + d);
        }
    }

    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

    private void weightedSum256(float[] w, int wo, int n, float[] v, int vo, float[] out, int oo) {
        for (int d = 0; d < headDim; d += 8) {
            FloatVector a0 = FloatVector.zero(S256), a1 = a0;
            int p = 0;
            for (; p + 2 <= n; p += 2) {
                a0 = FloatVector.fromArray(S256, v, vo + p * headDim + d).fma(FloatVector.broadcast(S256, w[wo + p]), a0);
                a1 = FloatVector.fromArray(S256, v, vo + (p + 1) * headDim + d).fma(FloatVector.broadcast(S256, w[wo + p + 1]), a1);
            }
            if (p < n) {
                a0 = FloatVector.fromArray(S256, v, vo + p * headDim + d).fma(FloatVector.broadcast(S256, w[wo + p]), a0);
            }
            a0.add(a1).intoArray(out, oo + d);
        }
    }
}
