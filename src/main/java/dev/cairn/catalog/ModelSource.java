package dev.cairn.catalog;

/** Where a model was found; the order is the search order (earlier sources win when no model is named). */
public enum ModelSource {
    PATH("path"),
    LOCAL("./models"),
    CAIRN_MODELS("$CAIRN_MODELS"),
    HUGGING_FACE("huggingface"),
    OLLAMA("ollama"),
    LM_STUDIO("lmstudio"),
    /** Random-weight models `cairn bench --synthetic` wrote: listed and found by name, never picked by default. */
    SYNTHETIC("synthetic"),
    BUNDLED("bundled");

    private final String label;

    ModelSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
