package dev.cairn.model;

/** Element type of the KV cache. F16 halves its memory; llama.cpp uses F16 by default too. */
public enum KvType {
    F16(2),
    F32(4);

    public final int bytes;

    KvType(int bytes) {
        this.bytes = bytes;
    }
}
