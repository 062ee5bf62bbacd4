package dev.cairn.model;

import java.util.Locale;

/**
 * Memory a loaded model uses: memory-mapped weights (in the OS page cache, not the Java heap) plus the Java-heap KV
 * caches and the per-chunk work buffers.
 *
 * @param weightBytes    bytes of the mapped weight tensors (no copy is made at load)
 * @param kvBytes        bytes of all {@code sequences} KV caches of {@code ctxSize} positions
 * @param workspaceBytes activation buffers for a prefill chunk of {@code workspaceChunk} tokens
 */
public record MemoryEstimate(long weightBytes, long kvBytes, long workspaceBytes, int ctxSize, KvType kvType,
                             int sequences, int workspaceChunk) {
    public long heapBytes() {
        return kvBytes + workspaceBytes;
    }

    public long totalBytes() {
        return weightBytes + kvBytes + workspaceBytes;
    }

    /** One line for the CLI, e.g. "weights 638.0 MiB (mapped), KV cache 176.0 MiB (F16, 8192 ctx), buffers 24.1 MiB, ...". */
    public String describe() {
        return "weights " + mib(weightBytes) + " (mapped), KV cache " + mib(kvBytes) + " (" + kvType + ", " + ctxSize
                + " ctx" + (sequences > 1 ? " x " + sequences + " slots" : "") + "), buffers " + mib(workspaceBytes)
                + ", total " + mib(totalBytes());
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
