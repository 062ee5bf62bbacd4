package dev.cairn.engine;

import java.util.List;

/**
 * One generation to run. {@code id} is chosen by the caller (the server uses the response id, e.g. "chatcmpl-…").
 * {@code promptTokens} are already tokenized (template applied, BOS included as needed).
 */
public record GenerationRequest(String id, int[] promptTokens, SamplingParams sampling, int maxTokens, List<String> stop) {
}
