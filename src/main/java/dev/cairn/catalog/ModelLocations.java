package dev.cairn.catalog;

import java.nio.file.Path;
import java.util.Map;

/**
 * The environment the locator reads: variables, home and working directory. Injected so tests can build the
 * Hugging Face / Ollama / LM Studio layouts in temp folders without touching the real ones.
 */
public record ModelLocations(Map<String, String> env, Path home, Path workingDir) {

    public static ModelLocations system() {
        return new ModelLocations(System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath());
    }

    String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** ./models relative to the working directory. */
    public Path localModels() {
        return workingDir.resolve("models");
    }

    /** $CAIRN_MODELS, or null. */
    public Path cairnModels() {
        String v = env("CAIRN_MODELS");
        return v == null ? null : Path.of(v);
    }

    /** The Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
    public Path huggingFaceHub() {
        String hub = env("HF_HUB_CACHE");
        if (hub != null) {
            return Path.of(hub);
        }
        String hfHome = env("HF_HOME");
        if (hfHome != null) {
            return Path.of(hfHome, "hub");
        }
        String xdg = env("XDG_CACHE_HOME");
        return (xdg != null ? Path.of(xdg) : home.resolve(".cache")).resolve("huggingface").resolve("hub");
    }

    /** Ollama's store: $OLLAMA_MODELS, else ~/.ollama/models. */
    public Path ollamaModels() {
        String v = env("OLLAMA_MODELS");
        return v != null ? Path.of(v) : home.resolve(".ollama").resolve("models");
    }

    /** LM Studio's model folders (the current one and the pre-0.3 one). */
    public Path[] lmStudioModels() {
        return new Path[] {home.resolve(".lmstudio").resolve("models"),
                home.resolve(".cache").resolve("lm-studio").resolve("models")};
    }

    /**
     * cairn's own cache (the extracted demo model, and synthetic models under synthetic/): $CAIRN_CACHE, else
     * $XDG_CACHE_HOME/cairn, else ~/.cache/cairn.
     */
    public Path cairnCache() {
        String own = env("CAIRN_CACHE");
        if (own != null) {
            return Path.of(own);
        }
        String xdg = env("XDG_CACHE_HOME");
        return (xdg != null ? Path.of(xdg) : home.resolve(".cache")).resolve("cairn");
    }

    /** Where `cairn bench --synthetic` writes its random-weight models. */
    public Path syntheticModels() {
        return cairnCache().resolve("synthetic");
    }

    /** The Hugging Face endpoint for downloads: $HF_ENDPOINT or https://huggingface.co. */
    public String huggingFaceEndpoint() {
        String v = env("HF_ENDPOINT");
        return v == null ? "https://huggingface.co" : v.replaceAll("/+$", "");
    }

    /** $HF_TOKEN for gated or private repos, or null. */
    public String huggingFaceToken() {
        return env("HF_TOKEN");
    }
}
