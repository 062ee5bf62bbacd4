package dev.cairn.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The {@code general.architecture} values cairn runs, with what differs between them (as llama.cpp does it). */
enum Architecture {
    /** Llama 2/3.x, Mistral, SmolLM, TinyLlama: the converter permutes Q/K so RoPE rotates adjacent pairs. */
    LLAMA("llama", false, false),
    /** Qwen2/2.5: biases on Q, K and V; NeoX RoPE. */
    QWEN2("qwen2", true, false),
    /** Qwen3: RMSNorm on each head of Q and K before RoPE; NeoX RoPE; head dim from attention.key_length. */
    QWEN3("qwen3", true, true);

    final String id;
    final boolean ropeNeox;
    final boolean qkNorm;

    Architecture(String id, boolean ropeNeox, boolean qkNorm) {
        this.id = id;
        this.ropeNeox = ropeNeox;
        this.qkNorm = qkNorm;
    }

    static Architecture of(String name) {
        for (Architecture a : values()) {
            if (a.id.equals(name)) {
                return a;
            }
        }
        throw new ModelLoadException("unsupported model architecture '" + name + "' (cairn runs "
                + Arrays.stream(values()).map(a -> a.id).collect(Collectors.joining(", ")) + ")");
    }
}
