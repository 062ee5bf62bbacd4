package dev.cairn.tokenizer;

import dev.cairn.gguf.GgufFile;

/** Builds the tokenizer a GGUF file describes. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /**
     * Reads {@code tokenizer.ggml.*} from {@code file}: SentencePiece-style ({@code llama}) or byte-level BPE
     * ({@code gpt2}, with the pre-tokenizer named by {@code tokenizer.ggml.pre}). Nothing is kept mapped: the
     * tokenizer stays valid after the file is closed. The tokenizer is immutable and safe to share between threads.
     *
     * @throws dev.cairn.gguf.GgufException for a missing vocabulary or an unknown tokenizer model or pre-tokenizer
     */
    public static Tokenizer fromGguf(GgufFile file) {
        return new GgufTokenizer(new Vocabulary(file));
    }
}
