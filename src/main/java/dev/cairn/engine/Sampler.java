package dev.cairn.engine;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses each next token from the logits, in llama.cpp's order: penalties, top-k, top-p, min-p, temperature, draw.
 * Temperature 0 is greedy (argmax after penalties). The same seed and the same logits give the same tokens. Tokens
 * whose logit is negative infinity (masked by an output constraint) are never chosen while any other remains.
 * One sampler per generation; not thread-safe.
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;
    /** Occurrences of each token id in the penalty window (prompt included, as llama.cpp's server does). */
    private final int[] counts;
    private final ArrayDeque<Integer> window = new ArrayDeque<>();
    private final boolean penalize;

    public Sampler(SamplingParams params, int vocabSize, int[] history) {
        this.params = params;
        long seed = params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong();
        this.random = new SplittableRandom(seed);
        this.penalize = params.repeatLastN() != 0
                && (params.repeatPenalty() != 1f || params.frequencyPenalty() != 0f || params.presencePenalty() != 0f);
        this.counts = penalize ? new int[vocabSize] : null;
        for (int id : history) {
            accept(id);
        }
    }

    /** Records a token (prompt or generated) for the repetition penalties. */
    public void accept(int id) {
        if (!penalize || id < 0 || id >= counts.length) {
            return;
        }
        window.addLast(id);
        counts[id]++;
        int limit = params.repeatLastN();
        if (limit > 0 && window.size() > limit) {
            counts[window.removeFirst()]--;
        }
    }

    /** Picks the next token; {@code logits} is left unchanged. Call {@link #accept} with the result. */
    public int sample(float[] logits) {
        float[] l = logits.clone();
        if (penalize) {
            applyPenalties(l);
        }
        if (params.temperature() <= 0f) {
            return argmax(l);
        }
        int[] ids = candidates(l);
        int n = ids.length;
        boolean needsProbs = params.topP() < 1f || params.minP() > 0f;
        if (needsProbs) {
            n = truncateByProbability(l, ids, n);
        }
        return draw(l, ids, n);
    }

    private void applyPenalties(float[] l) {
        float repeat = params.repeatPenalty();
        float freq = params.frequencyPenalty();
        float presence = params.presencePenalty();
        for (int id : new HashSet<>(window)) {
            int c = counts[id];
            if (c == 0) {
                continue;
            }
            // As llama.cpp: dividing a negative logit would raise it, so negative ones are multiplied instead.
            l[id] = l[id] > 0 ? l[id] / repeat : l[id] * repeat;
            l[id] -= c * freq + presence;
        }
    }

    private static int argmax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Candidate ids, best first: the top k when top-k is on, else all ids (sorted only when a probability cut follows). */
    private int[] candidates(float[] l) {
        int k = params.topK();
        boolean sorted = params.topP() < 1f || params.minP() > 0f;
        if (k > 0 && k < l.length) {
            return topK(l, k);
        }
        if (!sorted) {
            int[] all = new int[l.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return sortDescending(l, l.length);
    }

    private static int[] topK(float[] l, int k) {
        // A size-k min-heap of (logit, id) keys: O(n log k), cheap for k around 40.
        long[] heap = new long[k];
        int size = 0;
        for (int i = 0; i < l.length; i++) {
            long key = key(l[i], i);
            if (size < k) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key > heap[0]) {
                heap[0] = key;
                siftDown(heap, k);
            }
        }
        Arrays.sort(heap, 0, size);
        int[] ids = new int[size];
        for (int i = 0; i < size; i++) {
            ids[i] = idOf(heap[size - 1 - i]);
        }
        return ids;
    }

    private static int[] sortDescending(float[] l, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(l[i], i);
        }
        Arrays.sort(keys);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = idOf(keys[n - 1 - i]);
        }
        return ids;
    }

    /**
     * A sortable key: orders by logit, then lower id first on ties. The float's bits are mapped so that signed int
     * order equals float order; the id is stored inverted in the low half so that larger keys win.
     */
    private static long key(float v, int id) {
        int bits = Float.floatToIntBits(v);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) sortable << 32) | (~id & 0xffffffffL);
    }

    private static int idOf(long key) {
        return ~(int) key;
    }

    private static void siftUp(long[] h, int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (h[p] <= h[i]) {
                return;
            }
            long t = h[p];
            h[p] = h[i];
            h[i] = t;
            i = p;
        }
    }

    private static void siftDown(long[] h, int size) {
        int i = 0;
        while (true) {
            int a = 2 * i + 1;
            int b = a + 1;
            int m = i;
            if (a < size && h[a] < h[m]) {
                m = a;
            }
            if (b < size && h[b] < h[m]) {
                m = b;
            }
            if (m == i) {
                return;
            }
            long t = h[m];
            h[m] = h[i];
            h[i] = t;
            i = m;
        }
    }

    /** Applies top-p then min-p to the sorted candidates (probabilities at temperature 1); returns how many remain. */
    private int truncateByProbability(float[] l, int[] ids, int n) {
        float max = l[ids[0]];
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(l[ids[i]] - max);
            sum += p[i];
        }
        if (params.topP() < 1f) {
            double cum = 0;
            int keep = n;
            for (int i = 0; i < n; i++) {
                cum += p[i] / sum;
                if (cum >= params.topP()) {
                    keep = i + 1;
                    break;
                }
            }
            n = keep;
        }
        if (params.minP() > 0f) {
            // p[0] is the largest: keep every candidate at least minP times as likely.
            int keep = 1;
            while (keep < n && p[keep] >= params.minP() * p[0]) {
                keep++;
            }
            n = keep;
        }
        return n;
    }

    private int draw(float[] l, int[] ids, int n) {
        float inv = 1f / params.temperature();
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, l[ids[i]]);
        }
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp((l[ids[i]] - max) * inv);
            sum += w[i];
        }
        double r = random.nextDouble() * sum;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (w[i] == 0) {
                continue; // masked (negative infinity): never drawn, even when rounding leaves r at zero
            }
            last = i;
            r -= w[i];
            if (r < 0) {
                return ids[i];
            }
        }
        return ids[last >= 0 ? last : 0];
    }
}
