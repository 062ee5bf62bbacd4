package dev.cairn.grammar;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compiled grammar over one vocabulary: which tokens each parse state allows, found by walking the vocabulary's
 * byte trie from the state and pruning every prefix the grammar refuses. Results are kept per state (an LRU map):
 * generations under one schema keep meeting the same states (inside strings, between members, in later requests).
 */
final class VocabGrammar {
    /** Memory the per-state masks of one grammar and vocabulary may hold. */
    private static final long MASK_CACHE_BYTES = 16L << 20;

    final CompiledGrammar grammar;
    final TokenVocab vocab;
    private final Map<GrammarState, long[]> masks;

    VocabGrammar(CompiledGrammar grammar, TokenVocab vocab) {
        this.grammar = grammar;
        this.vocab = vocab;
        int maxEntries = (int) Math.max(16, MASK_CACHE_BYTES / (8L * ((vocab.size + 63) / 64)));
        this.masks = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<GrammarState, long[]> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The tokens {@code state} allows, one bit per id. Shared: the caller must not modify it. */
    long[] allowed(GrammarState state) {
        synchronized (masks) {
            long[] known = masks.get(state);
            if (known != null) {
                return known;
            }
        }
        long[] bits = new long[(vocab.size + 63) / 64];
        walk(0, state, bits);
        synchronized (masks) {
            masks.put(state, bits);
        }
        return bits;
    }

    private void walk(int node, GrammarState state, long[] bits) {
        TokenVocab v = vocab;
        for (int e = v.childStart[node], end = v.childStart[node + 1]; e < end; e++) {
            GrammarState next = state.advance(v.childByte[e]);
            if (next == null) {
                continue;
            }
            int child = v.childNode[e];
            for (int t = v.tokenStart[child], te = v.tokenStart[child + 1]; t < te; t++) {
                int id = v.tokenIds[t];
                bits[id >> 6] |= 1L << (id & 63);
            }
            if (v.childStart[child] != v.childStart[child + 1]) {
                walk(child, next, bits);
            }
        }
    }
}
