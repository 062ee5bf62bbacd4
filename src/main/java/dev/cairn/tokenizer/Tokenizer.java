package dev.cairn.tokenizer;

/** Text to token ids and back, from a GGUF's own vocabulary. */
public interface Tokenizer {
    /**
     * @param addSpecial   add BOS/EOS as the model's metadata says
     * @param parseSpecial match special/control token text (e.g. "<|im_start|>") in {@code text} as single tokens
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** Text of a sequence of ids (special tokens rendered as their text). */
    String decode(int[] ids);

    /** A decoder for a stream of ids that holds back incomplete UTF-8 characters. */
    TokenDecoder newDecoder();

    int vocabSize();

    int bosId();

    int eosId();

    /** True for every end-of-generation token (EOS, EOT, <|im_end|>, <|eot_id|>, <|endoftext|>, <end_of_turn>, ...). */
    boolean isEndOfGeneration(int id);

    /** The vocabulary entry of {@code id} as stored in the GGUF. */
    String tokenText(int id);
}
