package dev.cairn.grammar;

import dev.cairn.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a grammar into per-generation token constraints over a model's vocabulary. What is built per grammar and
 * vocabulary (token bytes, trie, compiled grammar, per-state masks) is cached, so a second request with the same
 * schema starts at once.
 */
public final class TokenConstraints {
    /** Grammars (with their vocabulary) kept compiled; requests mostly repeat a few schemas. */
    private static final int MAX_CACHED = 64;

    private static final Map<Key, VocabGrammar> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, VocabGrammar> eldest) {
            return size() > MAX_CACHED;
        }
    };

    private TokenConstraints() {
    }

    /** The whole output must match {@code grammar} from its first byte. */
    public static TokenConstraint strict(Grammar grammar, Tokenizer tokenizer) {
        return new GrammarConstraint(compiled(grammar, tokenizer));
    }

    /**
     * Free text until the output contains one of {@code triggers}; from the start of that trigger on, the rest of the
     * output must match {@code grammar} (which starts with the trigger text). A trigger may be one special token's text
     * (e.g. {@code <tool_call>}) or plain text. This is llama.cpp's lazy grammar.
     */
    public static TokenConstraint lazy(Grammar grammar, List<String> triggers, Tokenizer tokenizer) {
        return new LazyConstraint(compiled(grammar, tokenizer), List.copyOf(triggers));
    }

    static VocabGrammar compiled(Grammar grammar, Tokenizer tokenizer) {
        TokenVocab vocab = TokenVocab.of(tokenizer);
        Key key = new Key(grammar, vocab);
        synchronized (CACHE) {
            VocabGrammar known = CACHE.get(key);
            if (known != null) {
                return known;
            }
        }
        VocabGrammar built = new VocabGrammar(CompiledGrammar.compile(grammar), vocab);
        synchronized (CACHE) {
            VocabGrammar raced = CACHE.putIfAbsent(key, built);
            return raced != null ? raced : built;
        }
    }

    /** The vocabulary by identity: one per tokenizer. */
    private record Key(Grammar grammar, TokenVocab vocab) {
    }
}
