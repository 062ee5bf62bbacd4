package dev.cairn.gguf;

/** The one error type for a GGUF file that cannot be read; its message is meant for the user. */
public class GgufException extends RuntimeException {
    public GgufException(String message) {
        super(message);
    }

    public GgufException(String message, Throwable cause) {
        super(message, cause);
    }
}
