package dev.cairn.grammar;

/** A JSON schema that cannot be turned into a grammar; the message names the keyword or the problem. */
public final class SchemaException extends RuntimeException {
    private final String keyword;

    public SchemaException(String keyword, String message) {
        super(message);
        this.keyword = keyword;
    }

    /** The schema keyword at fault, or null when the problem is not one keyword. */
    public String keyword() {
        return keyword;
    }
}
