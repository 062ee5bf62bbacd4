package dev.cairn.catalog;

import java.nio.file.Path;
import java.util.Set;

/**
 * One model file cairn can run. {@code name} is what `--model` accepts; {@code aliases} are the other spellings that
 * also select it (e.g. the bare repo name). {@code quantization} is a llama.cpp file-type name such as "Q4_K_M", or
 * "?" when unknown.
 */
public record ModelEntry(String name, ModelSource source, String quantization, long sizeBytes, Path path,
                         Set<String> aliases) {

    /**
     * The id clients see for this model: Ollama's NAME:TAG (that is how Ollama users call it), otherwise the file
     * name without ".gguf".
     */
    public String modelId() {
        if (source == ModelSource.OLLAMA) {
            return name;
        }
        String file = path.getFileName().toString();
        return file.toLowerCase().endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }
}
