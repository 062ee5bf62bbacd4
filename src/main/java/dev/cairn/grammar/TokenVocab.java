package dev.cairn.grammar;

import dev.cairn.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A vocabulary as the constraint sees it: every token's bytes, and a byte trie of the tokens a grammar may choose
 * (not end-of-generation tokens, not tokens that print nothing). Built once per tokenizer and shared.
 */
final class TokenVocab {
    private static final Map<Tokenizer, TokenVocab> CACHE = new WeakHashMap<>();

    final int size;
    final byte[][] bytes;
    final boolean[] endOfGeneration;
    final int[] eogIds;

    /** Trie: node 0 is the root; children of a node are childByte/childNode[childStart[n] .. childStart[n + 1]). */
    final int[] childStart;
    final int[] childByte;
    final int[] childNode;
    /** Tokens whose bytes end at a node: tokenIds[tokenStart[n] .. tokenStart[n + 1]). */
    final int[] tokenStart;
    final int[] tokenIds;

    static TokenVocab of(Tokenizer tokenizer) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(tokenizer, TokenVocab::new);
        }
    }

    private TokenVocab(Tokenizer tokenizer) {
        size = tokenizer.vocabSize();
        bytes = new byte[size][];
        endOfGeneration = new boolean[size];
        int eogCount = 0;
        for (int id = 0; id < size; id++) {
            bytes[id] = tokenizer.tokenBytes(id);
            endOfGeneration[id] = tokenizer.isEndOfGeneration(id);
            eogCount += endOfGeneration[id] ? 1 : 0;
        }
        eogIds = new int[eogCount];
        for (int id = 0, k = 0; id < size; id++) {
            if (endOfGeneration[id]) {
                eogIds[k++] = id;
            }
        }
        // Sorting the token ids by their bytes lays the trie out depth-first: each node's subtree is one run.
        Integer[] order = new Integer[size];
        int n = 0;
        for (int id = 0; id < size; id++) {
            if (grammarToken(id)) {
                order[n++] = id;
            }
        }
        Arrays.sort(order, 0, n, (a, b) -> Arrays.compareUnsigned(bytes[a], bytes[b]));
        TrieBuilder tb = new TrieBuilder();
        tb.build(order, n);
        childStart = tb.childStart;
        childByte = tb.childByte;
        childNode = tb.childNode;
        tokenStart = tb.tokenStart;
        tokenIds = tb.tokenIds;
    }

    /** True for tokens a grammar can ever allow: they print something and do not end the generation. */
    boolean grammarToken(int id) {
        return !endOfGeneration[id] && bytes[id].length > 0;
    }

    int nodeCount() {
        return tokenStart.length - 1;
    }

    /** Builds the trie arrays from token ids sorted by their bytes. */
    private final class TrieBuilder {
        int[] childStart;
        int[] childByte;
        int[] childNode;
        int[] tokenStart;
        int[] tokenIds;

        private int nodes;
        private int[][] kids;
        private int[][] toks;
        private int[] kidCount;
        private int[] tokCount;
        private int[] kidByte;

        void build(Integer[] order, int n) {
            int cap = 1;
            for (int i = 0; i < n; i++) {
                cap += bytes[order[i]].length;
            }
            kids = new int[cap][];
            toks = new int[cap][];
            kidCount = new int[cap];
            tokCount = new int[cap];
            kidByte = new int[cap];
            nodes = 1;
            for (int i = 0; i < n; i++) {
                insert(order[i]);
            }
            childStart = new int[nodes + 1];
            tokenStart = new int[nodes + 1];
            int edges = 0;
            int tokens = 0;
            for (int v = 0; v < nodes; v++) {
                childStart[v] = edges;
                tokenStart[v] = tokens;
                edges += kidCount[v];
                tokens += tokCount[v];
            }
            childStart[nodes] = edges;
            tokenStart[nodes] = tokens;
            childByte = new int[edges];
            childNode = new int[edges];
            tokenIds = new int[tokens];
            for (int v = 0; v < nodes; v++) {
                for (int k = 0; k < kidCount[v]; k++) {
                    childNode[childStart[v] + k] = kids[v][k];
                    childByte[childStart[v] + k] = kidByte[kids[v][k]];
                }
                for (int k = 0; k < tokCount[v]; k++) {
                    tokenIds[tokenStart[v] + k] = toks[v][k];
                }
            }
        }

        private void insert(int id) {
            int v = 0;
            for (byte x : bytes[id]) {
                int b = x & 0xFF;
                // Sorted insertion order: a matching child, if any, is the last one added.
                int last = kidCount[v] == 0 ? -1 : kids[v][kidCount[v] - 1];
                if (last >= 0 && kidByte[last] == b) {
                    v = last;
                } else {
                    int c = nodes++;
                    kidByte[c] = b;
                    kids[v] = append(kids[v], kidCount[v]++, c);
                    v = c;
                }
            }
            toks[v] = append(toks[v], tokCount[v]++, id);
        }

        private static int[] append(int[] a, int count, int value) {
            if (a == null) {
                a = new int[2];
            } else if (count == a.length) {
                a = Arrays.copyOf(a, count * 2);
            }
            a[count] = value;
            return a;
        }
    }
}
