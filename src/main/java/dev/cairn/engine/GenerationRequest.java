package dev.cairn.engine;

import dev.cairn.grammar.TokenConstraint;
import java.util.List;

/**
 * One generation to run. {@code id} is chosen by the caller (the server uses the response id, e.g. "chatcmpl-…").
 * {@code promptTokens} are already tokenized (template applied, BOS included as needed).
 *
 * @param constraint which tokens may come next (a grammar), or null for free generation; stateful, so one per request
 */
public record GenerationRequest(String id, int[] promptTokens, SamplingParams sampling, int maxTokens, List<String> stop,
                                TokenConstraint constraint) {
    public GenerationRequest(String id, int[] promptTokens, SamplingParams sampling, int maxTokens, List<String> stop) {
        this(id, promptTokens, sampling, maxTokens, stop, null);
    }
}
