package dev.cairn.engine;

import dev.cairn.model.KvCache;

/**
 * One sequence the engine can run: its own KV cache and the tokens whose keys and values it holds, kept after a
 * generation ends so that a later prompt with the same start skips them (prefix cache).
 */
final class Slot {
    final int index;
    final KvCache cache;
    /** tokens[0 .. cache.length()) are the ids whose keys and values the cache holds. */
    private final int[] tokens;
    Job job;
    /** When it last finished a job (scheduler sequence); the least recently used free slot is reused first. */
    long lastUsed;

    Slot(int index, KvCache cache) {
        this.index = index;
        this.cache = cache;
        this.tokens = new int[cache.capacity()];
    }

    int capacity() {
        return cache.capacity();
    }

    /** Length of the common start of the cached tokens and {@code prompt}. */
    int commonPrefix(int[] prompt) {
        int n = Math.min(cache.length(), prompt.length);
        int i = 0;
        while (i < n && tokens[i] == prompt[i]) {
            i++;
        }
        return i;
    }

    /** Records ids just appended to the cache at positions [at, at + count). */
    void recordTokens(int at, int[] ids, int from, int count) {
        System.arraycopy(ids, from, tokens, at, count);
    }

    /** Forgets everything (after a failure the cache contents are unknown). */
    void reset() {
        cache.truncate(0);
    }
}
