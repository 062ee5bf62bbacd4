package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.AssistantEvent;
import dev.cairn.engine.EngineEvent;
import java.util.List;

/**
 * The exact bytes one endpoint answers with: the non-streaming body, and the SSE frames of a stream around the
 * generated answer. Stream shapes keep the state of one stream (which blocks are open, whether calls were made), so
 * each request has its own. Progress lines are not here: they are the same for every endpoint ({@link ProgressLines}).
 */
abstract sealed class ResponseShape permits OpenAiChatShape, OpenAiCompletionShape, AnthropicShape,
        ResponsesShape {
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
            case RESPONSES -> new ResponsesShape(id, model, request, promptTokens);
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

    /** Frames for the next parsed pieces of the answer (text, thinking, tool calls); "" when none. */
    abstract String events(List<AssistantEvent> events);

    /** Frames that close a finished stream (after the parser's last events). */
    abstract String finished(EngineEvent.Done done);

    /** Frames that report a failure once the 200 and SSE headers are out. */
    abstract String failed(ApiException.Kind kind, String message);

    /** The whole non-streaming response body. */
    abstract ObjectNode complete(Answer answer, EngineEvent.Done done);
}
