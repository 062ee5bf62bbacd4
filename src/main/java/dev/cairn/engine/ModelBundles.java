package dev.cairn.engine;

import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.ChatTemplates;
import dev.cairn.gguf.GgufFile;
import dev.cairn.model.LoadOptions;
import dev.cairn.model.Model;
import dev.cairn.model.ModelLoader;
import dev.cairn.tokenizer.Tokenizer;
import dev.cairn.tokenizer.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads everything a GGUF file provides (weights, tokenizer, chat template) into a {@link ModelBundle}. */
public final class ModelBundles {
    private ModelBundles() {
    }

    /**
     * @param alias the id clients see; null for the file name without ".gguf"
     * @throws IllegalArgumentException when the file does not exist (other load failures keep their own messages)
     */
    public static ModelBundle load(Path path, String alias, LoadOptions options) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("model file not found: " + path);
        }
        GgufFile file = GgufFile.open(path);
        Model model = null;
        try {
            model = ModelLoader.load(file, options);
            Tokenizer tokenizer = Tokenizers.fromGguf(file);
            ChatTemplate template = ChatTemplates.forGguf(file);
            return new ModelBundle(idFor(path, alias), file, model, tokenizer, template);
        } catch (RuntimeException | Error e) {
            if (model != null) {
                model.close();
            }
            file.close();
            throw e;
        }
    }

    /** Loads with the context size and threads the engine will use (so the model's buffers match its slots). */
    public static ModelBundle load(Path path, String alias, EngineOptions options) {
        return load(path, alias, LoadOptions.defaults().withCtxSize(options.ctxSize()).withThreads(options.threads())
                .withSequences(options.parallel()));
    }

    /** The id a model is served under: the alias, or the file name without ".gguf". */
    public static String idFor(Path path, String alias) {
        if (alias != null && !alias.isBlank()) {
            return alias;
        }
        String name = path.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }
}
