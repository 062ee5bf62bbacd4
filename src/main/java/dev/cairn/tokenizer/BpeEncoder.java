package dev.cairn.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Byte-level BPE as llama.cpp's llm_tokenizer_bpe: pre-tokenize into words, spell each word's UTF-8 bytes in the
 * GPT-2 byte alphabet, then repeatedly apply the lowest-ranked merge among adjacent pairs (ties: leftmost).
 */
final class BpeEncoder {
    private final Vocabulary vocab;
    private final PreTokenizer preTokenizer;

    BpeEncoder(Vocabulary vocab) {
        this.vocab = vocab;
        this.preTokenizer = new PreTokenizer(vocab.preType);
    }

    private record Bigram(int left, int right, int rank, int size) {
    }

    void encode(String text, IntList out) {
        List<String> words = preTokenizer.split(text);
        for (String word : words) {
            byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
            encodeWord(ByteLevel.encode(utf8, 0, utf8.length), out);
        }
    }

    /** Merges one byte-level word. Its chars are all in the BMP, so symbols start as single chars. */
    private void encodeWord(String word, IntList out) {
        int n = word.length();
        if (n == 0) {
            return;
        }
        if (vocab.ignoreMerges) {
            Integer whole = vocab.id(word);
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            len[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, n), (a, b) ->
                a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) {
            tryAdd(word, len, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            int l = b.left;
            int r = b.right;
            // llama.cpp compares the pair's current text with the queued text; since symbols keep their start,
            // that is the same as comparing lengths.
            if (len[l] == 0 || len[r] == 0 || len[l] + len[r] != b.size) {
                continue;
            }
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) {
                prev[next[r]] = l;
            }
            tryAdd(word, len, prev[l], l, queue);
            tryAdd(word, len, l, next[l], queue);
        }
        for (int i = 0; i != -1; i = next[i]) {
            String piece = word.substring(i, i + len[i]);
            Integer id = vocab.id(piece);
            if (id != null) {
                out.add(id);
                continue;
            }
            // As llama.cpp: a piece outside the vocabulary is spelled by its single UTF-8 bytes where those are
            // tokens (only ASCII can be), and dropped otherwise.
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                Integer single = b >= 0 ? vocab.id(String.valueOf((char) b)) : null;
                if (single != null) {
                    out.add(single);
                }
            }
        }
    }

    private void tryAdd(String word, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
        if (left == -1 || right == -1) {
            return;
        }
        String key = word.substring(left, left + len[left]) + ' ' + word.substring(right, right + len[right]);
        Integer rank = vocab.mergeRanks.get(key);
        if (rank != null) {
            queue.add(new Bigram(left, right, rank, len[left] + len[right]));
        }
    }
}
