package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final int VOCAB = 200;

    private static SamplingParams params(float temp, int topK, float topP, float minP, float repeat, float freq,
                                        float presence, Long seed) {
        return new SamplingParams(temp, topK, topP, minP, repeat, 64, freq, presence, seed);
    }

    private static float[] randomLogits(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] l = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            l[i] = (float) (r.nextGaussian() * 2);
        }
        return l;
    }

    private static int argmax(float[] l) {
        int b = 0;
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[b]) {
                b = i;
            }
        }
        return b;
    }

    @Test
    void greedyPicksTheLargestLogitAndLeavesLogitsUnchanged() {
        Sampler s = new Sampler(SamplingParams.greedy(), VOCAB, new int[0]);
        for (long seed = 0; seed < 20; seed++) {
            float[] l = randomLogits(seed);
            float[] copy = l.clone();
            assertThat(s.sample(l)).isEqualTo(argmax(copy));
            assertThat(l).containsExactly(copy);
        }
    }

    @Test
    void sameSeedGivesTheSameSequenceAndOtherSeedsDiffer() {
        SamplingParams p = params(1.0f, 0, 1f, 0f, 1f, 0f, 0f, 42L);
        int[] a = run(new Sampler(p, VOCAB, new int[0]));
        int[] b = run(new Sampler(p, VOCAB, new int[0]));
        int[] c = run(new Sampler(params(1.0f, 0, 1f, 0f, 1f, 0f, 0f, 43L), VOCAB, new int[0]));
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    private static int[] run(Sampler s) {
        int[] out = new int[50];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.sample(randomLogits(1000 + i));
            s.accept(out[i]);
        }
        return out;
    }

    @Test
    void topKOneIsGreedyEvenAtHighTemperature() {
        Sampler s = new Sampler(params(5f, 1, 1f, 0f, 1f, 0f, 0f, 7L), VOCAB, new int[0]);
        for (long seed = 0; seed < 20; seed++) {
            float[] l = randomLogits(seed);
            assertThat(s.sample(l)).isEqualTo(argmax(l));
        }
    }

    @Test
    void topKDrawsOnlyAmongTheKBest() {
        float[] l = randomLogits(5);
        Set<Integer> best3 = new HashSet<>();
        float[] c = l.clone();
        for (int i = 0; i < 3; i++) {
            int b = argmax(c);
            best3.add(b);
            c[b] = Float.NEGATIVE_INFINITY;
        }
        Sampler s = new Sampler(params(100f, 3, 1f, 0f, 1f, 0f, 0f, 1L), VOCAB, new int[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            seen.add(s.sample(l));
        }
        assertThat(seen).isEqualTo(best3);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // Probabilities at temperature 1: 0.5, 0.3, 0.2 (logs of them as logits), rest impossible.
        float[] l = new float[VOCAB];
        java.util.Arrays.fill(l, -1e9f);
        l[10] = (float) Math.log(0.5);
        l[20] = (float) Math.log(0.3);
        l[30] = (float) Math.log(0.2);
        Sampler s = new Sampler(params(1f, 0, 0.75f, 0f, 1f, 0f, 0f, 3L), VOCAB, new int[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            seen.add(s.sample(l));
        }
        assertThat(seen).containsExactlyInAnyOrder(10, 20);
    }

    @Test
    void minPDropsTokensLessLikelyThanAFractionOfTheBest() {
        float[] l = new float[VOCAB];
        java.util.Arrays.fill(l, -1e9f);
        l[1] = (float) Math.log(0.6);
        l[2] = (float) Math.log(0.3);
        l[3] = (float) Math.log(0.1);
        Sampler s = new Sampler(params(1f, 0, 1f, 0.4f, 1f, 0f, 0f, 3L), VOCAB, new int[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            seen.add(s.sample(l));
        }
        assertThat(seen).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void repetitionPenaltyTurnsGreedyAwayFromRecentTokens() {
        float[] l = new float[VOCAB];
        l[7] = 2.0f;
        l[8] = 1.5f;
        assertThat(new Sampler(params(0f, 0, 1f, 0f, 1f, 0f, 0f, null), VOCAB, new int[] {7}).sample(l)).isEqualTo(7);
        // 2.0 / 1.5 = 1.33 < 1.5
        assertThat(new Sampler(params(0f, 0, 1f, 0f, 1.5f, 0f, 0f, null), VOCAB, new int[] {7}).sample(l)).isEqualTo(8);
    }

    @Test
    void frequencyPenaltyScalesWithCountAndPresenceDoesNot() {
        float[] l = new float[VOCAB];
        l[7] = 2.0f;
        l[8] = 1.0f;
        int[] history = {7, 7, 7};
        // frequency 0.3 x 3 occurrences = 0.9 -> 1.1 > 1.0: still 7; 0.4 x 3 = 1.2 -> 0.8 < 1.0: now 8
        assertThat(new Sampler(params(0f, 0, 1f, 0f, 1f, 0.3f, 0f, null), VOCAB, history).sample(l)).isEqualTo(7);
        assertThat(new Sampler(params(0f, 0, 1f, 0f, 1f, 0.4f, 0f, null), VOCAB, history).sample(l)).isEqualTo(8);
        // presence 0.9 once regardless of count: 1.1 > 1.0
        assertThat(new Sampler(params(0f, 0, 1f, 0f, 1f, 0f, 0.9f, null), VOCAB, history).sample(l)).isEqualTo(7);
        assertThat(new Sampler(params(0f, 0, 1f, 0f, 1f, 0f, 1.1f, null), VOCAB, history).sample(l)).isEqualTo(8);
    }

    @Test
    void penaltyWindowForgetsOldTokens() {
        float[] l = new float[VOCAB];
        l[7] = 2.0f;
        l[8] = 1.5f;
        SamplingParams p = new SamplingParams(0f, 0, 1f, 0f, 2f, 2, 0f, 0f, null);
        Sampler s = new Sampler(p, VOCAB, new int[] {7});
        assertThat(s.sample(l)).isEqualTo(8);
        s.accept(1);
        s.accept(2); // 7 leaves the window of 2
        assertThat(s.sample(l)).isEqualTo(7);
    }

    @Test
    void temperatureSamplingFollowsTheDistribution() {
        float[] l = new float[VOCAB];
        java.util.Arrays.fill(l, -1e9f);
        l[4] = (float) Math.log(0.75);
        l[5] = (float) Math.log(0.25);
        Sampler s = new Sampler(params(1f, 0, 1f, 0f, 1f, 0f, 0f, 11L), VOCAB, new int[0]);
        int fours = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            if (s.sample(l) == 4) {
                fours++;
            }
        }
        assertThat(fours / (double) n).isBetween(0.71, 0.79);
    }
}
