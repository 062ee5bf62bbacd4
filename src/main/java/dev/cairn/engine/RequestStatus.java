package dev.cairn.engine;

/** A snapshot of one in-flight generation (for GET /v1/requests). phase: "queued", "prefill" or "decode". */
public record RequestStatus(String id, String phase, int position, int processedTokens, int totalTokens,
                            int cachedTokens, long createdEpochSeconds) {
}
