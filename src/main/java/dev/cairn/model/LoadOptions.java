package dev.cairn.model;

/**
 * How to load a model.
 *
 * @param ctxSize   positions of the KV cache; 0 means the model's trained context capped at {@link #DEFAULT_MAX_CTX}
 * @param threads   worker threads of the model's pool; 0 means one per available processor
 * @param kvType    element type of the KV cache
 * @param sequences KV caches the caller will create (one per parallel slot), for the memory check at load
 */
public record LoadOptions(int ctxSize, int threads, KvType kvType, int sequences) {
    public static final int DEFAULT_MAX_CTX = 8192;

    public LoadOptions {
        if (ctxSize < 0) {
            throw new IllegalArgumentException("ctx size must be positive, got " + ctxSize);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (sequences < 1) {
            throw new IllegalArgumentException("sequences must be at least 1, got " + sequences);
        }
        if (kvType == null) {
            kvType = KvType.F16;
        }
    }

    public LoadOptions(int ctxSize, int threads, KvType kvType) {
        this(ctxSize, threads, kvType, 1);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(0, 0, KvType.F16, 1);
    }

    public LoadOptions withCtxSize(int ctx) {
        return new LoadOptions(ctx, threads, kvType, sequences);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(ctxSize, n, kvType, sequences);
    }

    public LoadOptions withKvType(KvType type) {
        return new LoadOptions(ctxSize, threads, type, sequences);
    }

    public LoadOptions withSequences(int n) {
        return new LoadOptions(ctxSize, threads, kvType, n);
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
