package dev.cairn.grammar;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A context-free grammar over the bytes of the generated text (UTF-8), built from parts. Immutable; equal grammars
 * are equal values, so compiled forms can be cached by grammar.
 *
 * <p>SKELETON: the public API other layers code against; the grammar helper fills it in.
 */
public abstract class Grammar {
    /** Exactly this text. */
    public static Grammar literal(String text) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The parts one after another. */
    public static Grammar sequence(Grammar... parts) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Any one of the options. */
    public static Grammar choice(Grammar... options) {
        throw new UnsupportedOperationException("not yet");
    }

    /** {@code part} between {@code min} and {@code max} times ({@code max} -1 = unbounded). */
    public static Grammar repeat(Grammar part, int min, int max) {
        throw new UnsupportedOperationException("not yet");
    }

    /** JSON whitespace, any amount (bounded, so a model cannot loop on it forever). */
    public static Grammar whitespace() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Any text (valid UTF-8) that does not contain {@code terminator}; the terminator itself is not part of it. */
    public static Grammar textWithout(String terminator) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Any JSON value. */
    public static Grammar jsonValue() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Any JSON object (response_format json_object). */
    public static Grammar jsonObject() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * JSON text valid against a JSON schema.
     *
     * @throws SchemaException naming the keyword when the schema uses one this grammar cannot enforce
     */
    public static Grammar jsonSchema(JsonNode schema) {
        throw new UnsupportedOperationException("not yet");
    }
}
