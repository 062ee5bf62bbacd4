package dev.cairn.model;

import java.util.Arrays;

/** Test helper: greedy generation straight over {@link Model#forward}. */
final class Greedy {
    private Greedy() {
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Top logit minus the runner-up. */
    static float margin(float[] logits) {
        float[] s = logits.clone();
        Arrays.sort(s);
        return s[s.length - 1] - s[s.length - 2];
    }

    /** Prefills {@code prompt} in chunks of {@code chunk}, then generates {@code n} ids greedily. */
    static int[] generate(Model model, KvCache cache, int[] prompt, int chunk, int n) {
        float[] logits = null;
        for (int i = 0; i < prompt.length; i += chunk) {
            int count = Math.min(chunk, prompt.length - i);
            logits = model.forward(cache, prompt, i, count, i + count == prompt.length);
        }
        int[] out = new int[n];
        int[] one = new int[1];
        for (int k = 0; k < n; k++) {
            out[k] = argmax(logits);
            one[0] = out[k];
            if (k + 1 < n) {
                logits = model.forward(cache, one, 0, 1, true);
            }
        }
        return out;
    }
}
