package dev.cairn.model;

/**
 * Hyper-parameters of a Llama-family model, all read from GGUF metadata.
 *
 * @param ropeNeox rotate pairs (i, i + headDim/2) as GPT-NeoX does (qwen2, qwen3) instead of adjacent pairs (llama)
 */
public record ModelConfig(String architecture, int vocabSize, int dim, int layers, int heads, int kvHeads,
                          int headDim, int ffnDim, int contextLength, float rmsEps, float ropeTheta,
                          boolean ropeNeox, boolean tiedOutput) {
}
