package dev.cairn.engine;

/** Everything that happens to one generation, in order: Queued*, PrefillProgress+, Token*, then Done or Error. */
public sealed interface EngineEvent {
    String requestId();

    /** Waiting for a slot; position 1 means next to run. */
    record Queued(String requestId, int position) implements EngineEvent {
    }

    /**
     * After prefill starts (processed == cached) and after every chunk (the last has processed == total).
     * Processed counts cached tokens. Rate and ETA are null until a chunk has finished.
     */
    record PrefillProgress(String requestId, int processedTokens, int totalTokens, int cachedTokens, long elapsedMs,
                           Double tokensPerSecond, Long etaMs) implements EngineEvent {
    }

    /**
     * One generated token; {@code text} is the newly complete text it adds (empty while held back: an incomplete UTF-8
     * character, or text that may be the start of a stop string). When an end-of-generation token ends the
     * generation and text was still held back, one last Token carries that token's id and the released text (the
     * end token's own text is never emitted); {@link Done#generatedTokens()} does not count it.
     */
    record Token(String requestId, int tokenId, String text) implements EngineEvent {
    }

    /** The generation finished; {@code stopString} is the matched stop string when reason is STOP. */
    record Done(String requestId, FinishReason reason, String stopString, int promptTokens, int cachedTokens,
                int generatedTokens, long prefillMs, long decodeMs) implements EngineEvent {
    }

    /** The generation failed; the message is fit for a client. */
    record Error(String requestId, String message) implements EngineEvent {
    }

    enum FinishReason { EOS, STOP, LENGTH, CANCELLED }
}
