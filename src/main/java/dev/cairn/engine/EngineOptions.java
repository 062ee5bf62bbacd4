package dev.cairn.engine;

import dev.cairn.model.ModelConfig;

/**
 * How a {@link LocalEngine} runs.
 *
 * @param parallel     slots that run at once (each with its own KV cache); further requests wait in FIFO order
 * @param prefillChunk prompt tokens per batched prefill pass; progress is reported after each
 * @param ctxSize      positions per slot's KV cache; 0 = the model's context length capped at {@link #DEFAULT_CTX_CAP}
 * @param threads      worker threads for the kernels; 0 = one per available core (the model's pool is made at load:
 *                     {@link ModelBundles#load(java.nio.file.Path, String, EngineOptions)} passes this on)
 */
public record EngineOptions(int parallel, int prefillChunk, int ctxSize, int threads) {
    /** Long-context models would otherwise reserve gigabytes of KV cache nobody asked for. */
    public static final int DEFAULT_CTX_CAP = 8192;

    public EngineOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("prefill chunk must be at least 1, got " + prefillChunk);
        }
        if (ctxSize < 0) {
            throw new IllegalArgumentException("context size must not be negative, got " + ctxSize);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must not be negative, got " + threads);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(1, 512, 0, 0);
    }

    public EngineOptions withParallel(int n) {
        return new EngineOptions(n, prefillChunk, ctxSize, threads);
    }

    public EngineOptions withPrefillChunk(int n) {
        return new EngineOptions(parallel, n, ctxSize, threads);
    }

    public EngineOptions withCtxSize(int n) {
        return new EngineOptions(parallel, prefillChunk, n, threads);
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(parallel, prefillChunk, ctxSize, n);
    }

    /** The context size a slot gets for this model: the requested one, or the model's own capped at 8192. */
    public int resolveCtxSize(ModelConfig config) {
        if (ctxSize > 0) {
            return ctxSize;
        }
        int model = config.contextLength() > 0 ? config.contextLength() : DEFAULT_CTX_CAP;
        return Math.min(model, DEFAULT_CTX_CAP);
    }

    /** Worker threads to use: the requested number, or one per available core. */
    public int resolveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
