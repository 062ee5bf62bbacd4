package dev.cairn.engine;

import dev.cairn.chat.ChatTemplate;
import dev.cairn.gguf.GgufFile;
import dev.cairn.model.Model;
import dev.cairn.tokenizer.Tokenizer;

/** Everything loaded from one GGUF: the id clients see, the file, the forward pass, tokenizer and chat template. */
public record ModelBundle(String id, GgufFile file, Model model, Tokenizer tokenizer, ChatTemplate template)
        implements AutoCloseable {
    @Override
    public void close() {
        model.close();
        file.close();
    }
}
