package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Prefill rate and ETA over synthetic chunk times (no clock involved). */
class PrefillClockTest {
    private static final long MS = 1_000_000;

    @Test
    void beforeAnyChunkThereIsNoRateOrEta() {
        PrefillClock c = new PrefillClock(0, 8);
        assertThat(c.tokensPerSecond()).isNull();
        assertThat(c.etaMs(1000)).isNull();
    }

    @Test
    void aSlowFirstChunkDoesNotInflateTheEta() {
        // 100-token chunks: the first (JIT warm-up) takes 1000 ms, the rest 100 ms each.
        PrefillClock c = new PrefillClock(0, 0);
        c.chunkDone(100, 1000 * MS);
        assertThat(c.etaMs(1000)).isEqualTo(9000); // only the first chunk is known
        c.chunkDone(200, 1100 * MS);
        c.chunkDone(300, 1200 * MS);
        assertThat(c.etaMs(1000)).isEqualTo(700); // 700 tokens at 1000 tok/s, not at the 250 tok/s average
        assertThat(c.tokensPerSecond()).isEqualTo(250.0); // the rate reported is what was achieved
    }

    @Test
    void theEtaFollowsTheRecentChunksAsChunksSlowDownWithDepth() {
        PrefillClock c = new PrefillClock(0, 0);
        long t = 0;
        for (int i = 1; i <= 10; i++) {
            t += i * 10 * MS; // chunk i takes 10*i ms: attention over a longer context
            c.chunkDone(i * 100, t);
        }
        // The last four chunks: 400 tokens in 70+80+90+100 = 340 ms; 1000 tokens left.
        assertThat(c.etaMs(2000)).isEqualTo(Math.round(1000 * 340.0 / 400));
        assertThat(c.tokensPerSecond()).isCloseTo(1000 / 0.55, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void cachedTokensAreNotCountedAsWorkAndAFinishedPrefillHasNoTimeLeft() {
        PrefillClock c = new PrefillClock(0, 500);
        c.chunkDone(600, 100 * MS);
        assertThat(c.tokensPerSecond()).isEqualTo(1000.0);
        assertThat(c.etaMs(800)).isEqualTo(200);
        c.chunkDone(800, 300 * MS);
        assertThat(c.etaMs(800)).isZero();
        assertThat(c.elapsedMs(300 * MS)).isEqualTo(300);
    }
}
