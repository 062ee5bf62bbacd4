package dev.cairn.grammar;

import java.nio.charset.StandardCharsets;

/** Runs a grammar's recognizer over whole texts, for tests. */
final class Recognizer {
    private Recognizer() {
    }

    /** True when {@code text} is a complete match of {@code g}. */
    static boolean matches(Grammar g, String text) {
        return matches(g, text.getBytes(StandardCharsets.UTF_8));
    }

    static boolean matches(Grammar g, byte[] bytes) {
        GrammarState st = CompiledGrammar.compile(g).initial.advance(bytes);
        return st != null && st.accepting();
    }

    /** True when {@code text} can be continued into a match of {@code g} (or is one). */
    static boolean isPrefix(Grammar g, String text) {
        return CompiledGrammar.compile(g).initial.advance(text.getBytes(StandardCharsets.UTF_8)) != null;
    }

    static boolean schemaMatches(String schemaJson, String text) {
        return matches(Grammar.jsonSchema(SchemaCheck.parse(schemaJson)), text);
    }
}
