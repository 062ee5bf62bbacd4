package dev.cairn.grammar;

import dev.cairn.tokenizer.Tokenizer;
import java.util.List;

/**
 * Turns a grammar into per-generation token constraints over a model's vocabulary. What is built per grammar and
 * vocabulary (token bytes, trie, compiled grammar) is cached, so a second request with the same schema starts at once.
 *
 * <p>SKELETON: the public API other layers code against; the grammar helper fills it in.
 */
public final class TokenConstraints {
    private TokenConstraints() {
    }

    /** The whole output must match {@code grammar} from its first byte. */
    public static TokenConstraint strict(Grammar grammar, Tokenizer tokenizer) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Free text until the output contains one of {@code triggers}; from the start of that trigger on, the rest of the
     * output must match {@code grammar} (which starts with the trigger text). A trigger may be one special token's text
     * (e.g. {@code <tool_call>}) or plain text. This is llama.cpp's lazy grammar.
     */
    public static TokenConstraint lazy(Grammar grammar, List<String> triggers, Tokenizer tokenizer) {
        throw new UnsupportedOperationException("not yet");
    }
}
