package dev.cairn.model;

/**
 * A model that cairn cannot load: unsupported architecture or tensor type, missing or misshapen tensor, or not enough
 * memory. The message is written for users (it names the offending thing and, where possible, what to change).
 */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
