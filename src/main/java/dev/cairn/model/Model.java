package dev.cairn.model;

/** A loaded transformer ready to run: the engine's only view of the forward pass. */
public interface Model extends AutoCloseable {
    ModelConfig config();

    /**
     * The positions a sequence may use: the context size chosen at load, which the model's buffers are sized for. A
     * model that chooses none at load has its trained context.
     */
    default int ctxSize() {
        return config().contextLength();
    }

    /** What this model holds in memory, or null when it does not know. */
    default MemoryEstimate memoryEstimate() {
        return null;
    }

    /** A KV cache for up to {@code ctxSize} positions. */
    KvCache newCache(int ctxSize);

    /**
     * Runs {@code tokens[from .. from + count)} as one batch at positions {@code cache.length() ..}, appending their
     * keys and values to the cache. Returns the logits (vocabulary size) of the last of them when {@code wantLogits},
     * otherwise null (the output projection is skipped).
     */
    float[] forward(KvCache cache, int[] tokens, int from, int count, boolean wantLogits);

    @Override
    void close();
}
