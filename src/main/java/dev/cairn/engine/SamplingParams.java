package dev.cairn.engine;

/**
 * How the next token is chosen. temperature 0 means greedy. topK 0 = off, topP 1 = off, minP 0 = off,
 * repeatPenalty 1 = off (over the last {@code repeatLastN} tokens), frequency/presence 0 = off, seed null = random.
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repeatPenalty, int repeatLastN,
                             float frequencyPenalty, float presencePenalty, Long seed) {
    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0f, 1f, 64, 0f, 0f, null);
    }

    /** llama.cpp server's defaults (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05). */
    public static SamplingParams defaults() {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 64, 0f, 0f, null);
    }
}
