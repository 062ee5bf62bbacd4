package dev.cairn.engine;

/**
 * Rate and ETA of one prefill, chunk by chunk. The rate reported is the average since prefill began (what was
 * achieved). The ETA divides what is left by the rate of the last few chunks instead: the first chunk of a request may
 * run before the JIT has settled, and each chunk costs more than the one before as attention reads a longer context, so
 * the average since the start promises too much late in a long prompt and too little at its start.
 */
final class PrefillClock {
    /** Chunks in the recent window the ETA is measured over. */
    static final int WINDOW = 4;

    private final long startNanos;
    private final int startTokens;
    private final long[] endNanos = new long[WINDOW + 1];
    private final int[] endTokens = new int[WINDOW + 1];
    private int chunks;

    PrefillClock(long startNanos, int startTokens) {
        this.startNanos = startNanos;
        this.startTokens = startTokens;
    }

    /** A chunk ended at {@code nanos} with {@code processedTokens} of the prompt done (cached ones included). */
    void chunkDone(int processedTokens, long nanos) {
        endNanos[chunks % endNanos.length] = nanos;
        endTokens[chunks % endTokens.length] = processedTokens;
        chunks++;
    }

    long elapsedMs(long nanos) {
        return (nanos - startNanos) / 1_000_000;
    }

    /** Tokens per second since prefill began; null before a chunk has ended or when no time has passed. */
    Double tokensPerSecond() {
        if (chunks == 0) {
            return null;
        }
        long nanos = lastNanos() - startNanos;
        return nanos > 0 ? (lastTokens() - startTokens) / (nanos / 1e9) : null;
    }

    /**
     * Milliseconds until {@code totalTokens} are done at the rate of the last {@link #WINDOW} chunks, leaving out the
     * first chunk once a later one exists; null before a chunk has ended.
     */
    Long etaMs(int totalTokens) {
        if (chunks == 0) {
            return null;
        }
        int remaining = totalTokens - lastTokens();
        if (remaining <= 0) {
            return 0L;
        }
        long fromNanos;
        int fromTokens;
        if (chunks == 1) {
            fromNanos = startNanos;
            fromTokens = startTokens;
        } else {
            int back = Math.min(WINDOW, chunks - 1); // chunk intervals in the window, never the first chunk's
            int at = (chunks - 1 - back) % endNanos.length;
            fromNanos = endNanos[at];
            fromTokens = endTokens[at];
        }
        long nanos = lastNanos() - fromNanos;
        int tokens = lastTokens() - fromTokens;
        if (nanos <= 0 || tokens <= 0) {
            return null;
        }
        return Math.round(remaining * (nanos / 1e6) / tokens);
    }

    private long lastNanos() {
        return endNanos[(chunks - 1) % endNanos.length];
    }

    private int lastTokens() {
        return endTokens[(chunks - 1) % endTokens.length];
    }
}
