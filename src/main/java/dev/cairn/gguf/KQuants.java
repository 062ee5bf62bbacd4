package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;

/**
 * Helpers shared by the k-quant codecs, transcribed from ggml-quants.c with the same float operation order
 * (the reference output is only reproducible bit for bit that way).
 */
final class KQuants {
    static final int QK_K = 256;
    static final float GROUP_MAX_EPS = 1e-15f;

    private KQuants() {}

    /** ggml's nearest_int: round half to even via the 1.5*2^23 trick (valid for |x| <= 4194303). */
    static int nearestInt(float f) {
        float v = f + 12582912.f;
        int i = Float.floatToRawIntBits(v);
        return (i & 0x007fffff) - 0x00400000;
    }

    /** get_scale_min_k4: the 6-bit scale (index 0) and min (index 1) of sub-block j from the 12 packed bytes. */
    static void scaleMinK4(int j, MemorySegment s, long scalesOff, int[] out) {
        if (j < 4) {
            out[0] = Bytes.u8(s, scalesOff + j) & 63;
            out[1] = Bytes.u8(s, scalesOff + j + 4) & 63;
        } else {
            out[0] = (Bytes.u8(s, scalesOff + j + 4) & 0xF) | ((Bytes.u8(s, scalesOff + j - 4) >> 6) << 4);
            out[1] = (Bytes.u8(s, scalesOff + j + 4) >> 4) | ((Bytes.u8(s, scalesOff + j) >> 6) << 4);
        }
    }

    /** Packs eight 6-bit scales and mins into the 12-byte k-quant layout. */
    static void packScalesMins(int[] ls, int[] lm, MemorySegment y, long off) {
        for (int j = 0; j < 4; j++) {
            Bytes.put8(y, off + j, ls[j] | ((ls[j + 4] >> 4) << 6));
            Bytes.put8(y, off + j + 4, lm[j] | ((lm[j + 4] >> 4) << 6));
            Bytes.put8(y, off + j + 8, (ls[j + 4] & 0xF) | ((lm[j + 4] & 0xF) << 4));
        }
    }

    /** make_qkx2_quants: scale and (negated) min for one sub-block of n values; L receives the levels. */
    static float makeQkx2(int n, int nmax, float[] x, int xo, float[] weights, int[] L, int lo, float[] theMin,
            int[] laux, float rmin, float rdelta, int nstep, boolean useMad) {
        float min = x[xo];
        float max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; ++i) {
            float xi = x[xo + i];
            if (xi < min) {
                min = xi;
            }
            if (xi > max) {
                max = xi;
            }
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) {
            min = 0;
        }
        if (max == min) {
            for (int i = 0; i < n; ++i) {
                L[lo + i] = 0;
            }
            theMin[0] = -min;
            return 0.f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestMad = 0;
        for (int i = 0; i < n; ++i) {
            int l = nearestInt(iscale * (x[xo + i] - min));
            L[lo + i] = Math.max(0, Math.min(nmax, l));
            float diff = scale * L[lo + i] + min - x[xo + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestMad += weights[i] * diff;
        }
        if (nstep < 1) {
            theMin[0] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; ++is) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0;
            float sumL2 = 0;
            float sumXl = 0;
            for (int i = 0; i < n; ++i) {
                int l = nearestInt(iscale * (x[xo + i] - min));
                l = Math.max(0, Math.min(nmax, l));
                laux[i] = l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXl += w * l * x[xo + i];
            }
            float d = sumW * sumL2 - sumL * sumL;
            if (d > 0) {
                float thisScale = (sumW * sumXl - sumX * sumL) / d;
                float thisMin = (sumL2 * sumX - sumL * sumXl) / d;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXl / sumL2;
                }
                float mad = 0;
                for (int i = 0; i < n; ++i) {
                    float diff = thisScale * laux[i] + thisMin - x[xo + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    mad += weights[i] * diff;
                }
                if (mad < bestMad) {
                    System.arraycopy(laux, 0, L, lo, n);
                    bestMad = mad;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin[0] = -min;
        return scale;
    }

    /** make_qx_quants with rmse_type 1 and no importance weights (what quantize_row_q6_K_ref uses). */
    static float makeQx(int n, int nmax, float[] x, int xo, int[] L, int lo) {
        float max = BlockRange.signedAbsMax(x, xo, n);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            for (int i = 0; i < n; ++i) {
                L[lo + i] = 0;
            }
            return 0.f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; ++i) {
            float xi = x[xo + i];
            int l = nearestInt(iscale * xi);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = l + nmax;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; ++is) {
            if (is == 0) {
                continue;
            }
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; ++i) {
                float xi = x[xo + i];
                int l = nearestInt(iscale * xi);
                l = Math.max(-nmax, Math.min(nmax - 1, l));
                float w = xi * xi;
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; ++i) {
                    int l = nearestInt(iscale * x[xo + i]);
                    L[lo + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /** make_q3_quants with do_rmse (what quantize_row_q3_K_ref uses): L receives levels + nmax. */
    static float makeQ3(int n, int nmax, float[] x, int xo, int[] L, int lo) {
        float max = BlockRange.signedAbsMax(x, xo, n);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            for (int i = 0; i < n; ++i) {
                L[lo + i] = 0;
            }
            return 0.f;
        }
        float iscale = -nmax / max;
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; ++i) {
            float xi = x[xo + i];
            int l = nearestInt(iscale * xi);
            l = Math.max(-nmax, Math.min(nmax - 1, l));
            L[lo + i] = l;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; ++itry) {
            int changed = 0;
            for (int i = 0; i < n; ++i) {
                float xi = x[xo + i];
                float w = xi * xi;
                float slx = sumlx - w * xi * L[lo + i];
                if (slx > 0) {
                    float sl2 = suml2 - w * L[lo + i] * L[lo + i];
                    int newL = nearestInt(xi * sl2 / slx);
                    newL = Math.max(-nmax, Math.min(nmax - 1, newL));
                    if (newL != L[lo + i]) {
                        slx += w * xi * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[lo + i] = newL;
                            sumlx = slx;
                            suml2 = sl2;
                            ++changed;
                        }
                    }
                }
            }
            if (changed == 0) {
                break;
            }
        }
        for (int i = 0; i < n; ++i) {
            L[lo + i] += nmax;
        }
        return sumlx / suml2;
    }
}
