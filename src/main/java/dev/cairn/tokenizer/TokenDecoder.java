package dev.cairn.tokenizer;

/** Streaming detokenizer: text comes out only when it forms complete UTF-8 characters. */
public interface TokenDecoder {
    /** Feeds one id; returns the newly complete text (possibly empty). */
    String push(int id);

    /** Returns whatever is still held back (incomplete bytes become U+FFFD). */
    String flush();
}
