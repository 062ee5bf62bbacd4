package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.EngineEvent;

/**
 * The exact bytes one endpoint answers with: the non-streaming body, and the SSE frames of a stream around the
 * generated text. Progress lines are not here: they are the same for every endpoint ({@link ProgressLines}).
 */
abstract sealed class ResponseShape permits OpenAiChatShape, OpenAiCompletionShape, AnthropicShape {
    final String id;
    final String model;
    final long created;
    final ApiRequest request;
    final int promptTokens;

    ResponseShape(String id, String model, ApiRequest request, int promptTokens) {
        this.id = id;
        this.model = model;
        this.created = System.currentTimeMillis() / 1000;
        this.request = request;
        this.promptTokens = promptTokens;
    }

    static ResponseShape of(String id, String model, ApiRequest request, int promptTokens) {
        return switch (request.endpoint()) {
            case CHAT -> new OpenAiChatShape(id, model, request, promptTokens);
            case COMPLETION -> new OpenAiCompletionShape(id, model, request, promptTokens);
            case MESSAGES -> new AnthropicShape(id, model, request, promptTokens);
        };
    }

    /** Frames sent when prefill starts (the cached token count is known by then). */
    String prefillStarted(int cachedTokens) {
        return "";
    }

    /** llama.cpp's "return_progress" chunk for one progress event, or "" when not asked for / not applicable. */
    String progressChunk(EngineEvent.PrefillProgress p) {
        return "";
    }

    /** Frames that open the answer; sent with the first token. */
    abstract String answerStarted();

    /** One piece of generated text (never empty). */
    abstract String delta(String text);

    /** Frames that close a finished stream. */
    abstract String finished(EngineEvent.Done done);

    /** Frames that report a failure once the 200 and SSE headers are out. */
    abstract String failed(ApiException.Kind kind, String message);

    /** The whole non-streaming response body. */
    abstract ObjectNode complete(String text, EngineEvent.Done done);
}
