package dev.cairn.catalog;

/** A model name that matched nothing, or several files; the message says which, or where cairn looked. */
public class ModelNotFoundException extends RuntimeException {
    public ModelNotFoundException(String message) {
        super(message);
    }
}
