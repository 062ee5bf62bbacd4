package dev.cairn.tokenizer;

/** Text to token ids and back, from a GGUF's own vocabulary. */
public interface Tokenizer {
    /**
     * @param addSpecial   add BOS/EOS as the model's metadata says
     * @param parseSpecial match special/control token text (e.g. "<|im_start|>") in {@code text} as single tokens
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * Text of a sequence of ids (special tokens rendered as their text), as llama.cpp's llama_detokenize: for
     * SentencePiece vocabularies the leading space of the first piece is dropped (the space prefix encode added),
     * and byte-level vocabularies that ask for it get clean_up_tokenization_spaces (" ," becomes ","). For text
     * generated after a prompt, use {@link #newDecoder()}, which keeps every piece as is.
     */
    String decode(int[] ids);

    /**
     * A decoder for a stream of ids: the pieces concatenated exactly (like llama-server's output), holding back
     * incomplete UTF-8 characters until their last byte arrives.
     */
    TokenDecoder newDecoder();

    int vocabSize();

    /** The BOS id, or -1 when the vocabulary has none. */
    int bosId();

    /** The EOS id, or -1 when the vocabulary has none. */
    int eosId();

    /** True for every end-of-generation token (EOS, EOT, <|im_end|>, <|eot_id|>, <|endoftext|>, <end_of_turn>, ...). */
    boolean isEndOfGeneration(int id);

    /** The vocabulary entry of {@code id} as stored in the GGUF. */
    String tokenText(int id);

    /**
     * The exact bytes {@link #newDecoder()} emits for {@code id} (special tokens as their text; empty for tokens that
     * print nothing). Constrained decoding matches grammars against these. The caller must not modify the array.
     */
    byte[] tokenBytes(int id);
}
