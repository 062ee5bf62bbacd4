package dev.cairn.model;

/**
 * How to load a model.
 *
 * @param ctxSize positions of the KV cache; 0 means the model's trained context capped at {@link #DEFAULT_MAX_CTX}
 * @param threads worker threads of the model's pool; 0 means one per available processor
 * @param kvType  element type of the KV cache
 */
public record LoadOptions(int ctxSize, int threads, KvType kvType) {
    public static final int DEFAULT_MAX_CTX = 8192;

    public LoadOptions {
        if (ctxSize < 0) {
            throw new IllegalArgumentException("ctx size must be positive, got " + ctxSize);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (kvType == null) {
            kvType = KvType.F16;
        }
    }

    public static LoadOptions defaults() {
        return new LoadOptions(0, 0, KvType.F16);
    }

    public LoadOptions withCtxSize(int ctx) {
        return new LoadOptions(ctx, threads, kvType);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(ctxSize, n, kvType);
    }

    public LoadOptions withKvType(KvType type) {
        return new LoadOptions(ctxSize, threads, type);
    }

    /** The context to use for a model trained on {@code trainedContext} positions. */
    public int effectiveCtxSize(int trainedContext) {
        return ctxSize > 0 ? ctxSize : Math.min(trainedContext, DEFAULT_MAX_CTX);
    }

    /** The thread count to use. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
