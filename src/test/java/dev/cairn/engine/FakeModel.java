package dev.cairn.engine;

import dev.cairn.model.KvCache;
import dev.cairn.model.Model;
import dev.cairn.model.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A deterministic stand-in for a transformer, for scheduler tests that must control exactly what the model does:
 * the next token is a fixed function of the last token and its position, and every forward call is recorded.
 */
final class FakeModel implements Model {
    static final int VOCAB = 40;
    static final int EOS = 0;

    record Call(int cacheLengthBefore, int count, boolean wantLogits) {
    }

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    /** Position at which the model predicts EOS (-1 never). */
    volatile int eosAtPosition = -1;
    /** What each cache claims to hold (0 = its real size), to test the engine's heap check. */
    volatile long reportedCacheBytes;
    /** Thrown by the next forward call when set (then cleared). */
    volatile Throwable failNext;
    /** Simulated work per forward call, for tests that need a generation to take a while. */
    volatile int forwardDelayMs;
    private final ModelConfig config = new ModelConfig("fake", VOCAB, 8, 1, 1, 1, 8, 8, 64, 1e-5f, 10000f, false, true);

    final class Cache implements KvCache {
        final int[] tokens;
        int length;

        Cache(int capacity) {
            tokens = new int[capacity];
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public int capacity() {
            return tokens.length;
        }

        @Override
        public void truncate(int n) {
            length = Math.min(length, n);
        }

        @Override
        public long bytes() {
            return reportedCacheBytes > 0 ? reportedCacheBytes : tokens.length * 4L;
        }
    }

    /** The token the fake predicts after {@code last} at {@code position}: never BOS (1) or EOS (0). */
    static int next(int last, int position) {
        return 2 + Math.floorMod(last * 7 + position * 3, VOCAB - 2);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public KvCache newCache(int ctxSize) {
        return new Cache(ctxSize);
    }

    @Override
    public float[] forward(KvCache kv, int[] tokens, int from, int count, boolean wantLogits) {
        Cache c = (Cache) kv;
        if (forwardDelayMs > 0) {
            try {
                Thread.sleep(forwardDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable fail = failNext;
        if (fail != null) {
            failNext = null;
            if (fail instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) fail;
        }
        calls.add(new Call(c.length, count, wantLogits));
        if (c.length + count > c.capacity()) {
            throw new IllegalStateException("cache overflow");
        }
        System.arraycopy(tokens, from, c.tokens, c.length, count);
        c.length += count;
        if (!wantLogits) {
            return null;
        }
        int pos = c.length - 1;
        float[] logits = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            logits[i] = (i % 5) * 0.1f;
        }
        logits[pos + 1 == eosAtPosition ? EOS : next(c.tokens[pos], pos)] = 10f;
        return logits;
    }

    @Override
    public void close() {
    }
}
