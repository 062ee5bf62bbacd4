package dev.cairn.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE over the vocabulary's scores, as llama.cpp's llm_tokenizer_spm: start from single code
 * points, repeatedly merge the adjacent pair whose concatenation is the highest-scoring token (ties: leftmost), and
 * spell whatever is left outside the vocabulary as byte tokens {@code <0xNN>}.
 */
final class SpmEncoder {
    private final Vocabulary vocab;
    private final int[] byteTokens = new int[256];

    SpmEncoder(Vocabulary vocab) {
        this.vocab = vocab;
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.id(String.format("<0x%02X>", b));
            if (id == null && b < 0x80) {
                id = vocab.id(String.valueOf((char) b)); // llama.cpp's fallback: the byte itself as text
            }
            byteTokens[b] = id != null ? id : vocab.unk;
        }
    }

    private record Bigram(int left, int right, float score, int size) {
    }

    /** Encodes {@code text}, whose spaces are already escaped as U+2581, appending the ids to {@code out}. */
    void encode(String text, IntList out) {
        int n = text.codePointCount(0, text.length());
        if (n == 0) {
            return;
        }
        int[] start = new int[n];
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, off = 0; i < n; i++) {
            int cl = Character.charCount(text.codePointAt(off));
            start[i] = off;
            len[i] = cl;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            off += cl;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, n), (a, b) -> {
            if (a.score > b.score) {
                return -1;
            }
            if (a.score < b.score) {
                return 1;
            }
            return Integer.compare(a.left, b.left);
        });
        for (int i = 1; i < n; i++) {
            tryAdd(text, start, len, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            int l = b.left;
            int r = b.right;
            if (len[l] == 0 || len[r] == 0 || len[l] + len[r] != b.size) {
                continue; // one side was merged away since this pair was queued
            }
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) {
                prev[next[r]] = l;
            }
            tryAdd(text, start, len, prev[l], l, queue);
            tryAdd(text, start, len, l, next[l], queue);
        }
        for (int i = 0; i != -1; i = next[i]) {
            String piece = text.substring(start[i], start[i] + len[i]);
            Integer id = vocab.id(piece);
            if (id != null) {
                out.add(id);
            } else {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                    out.add(byteToken(b & 0xFF));
                }
            }
        }
    }

    private void tryAdd(String text, int[] start, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
        if (left == -1 || right == -1) {
            return;
        }
        int size = len[left] + len[right];
        Integer id = vocab.id(text.substring(start[left], start[left] + size));
        if (id != null) {
            queue.add(new Bigram(left, right, vocab.scores[id], size));
        }
    }

    /** The byte-fallback token of {@code b}: {@code <0xNN>}, else the byte itself as text, else unknown. */
    int byteToken(int b) {
        if (byteTokens[b] == Vocabulary.NULL) {
            throw new IllegalArgumentException("text needs byte 0x" + Integer.toHexString(b)
                    + ", which this vocabulary cannot spell (no <0x..> token and no unknown token)");
        }
        return byteTokens[b];
    }
}
