package dev.cairn.server;

import dev.cairn.chat.TurnRequest;
import dev.cairn.engine.SamplingParams;
import java.util.List;

/**
 * A generation request as parsed from any of the three endpoints, before tokenization.
 *
 * @param turn           the conversation, tools, tool choice and response format of the chat endpoints (null for
 *                       /v1/completions)
 * @param promptText     the raw prompt of /v1/completions (null when promptIds or a turn is used)
 * @param promptIds      token ids given directly to /v1/completions (null otherwise)
 * @param maxTokens      null = until the context is full or the model stops; a larger value is capped to the room
 *                       the prompt leaves in the context
 * @param returnProgress llama.cpp's "return_progress": extra data chunks carrying prompt_progress (OpenAI only)
 * @param responses      what only /v1/responses has (echoed fields, history to keep); null on the other endpoints
 */
record ApiRequest(Endpoint endpoint, TurnRequest turn, String promptText, int[] promptIds, SamplingParams sampling,
                  Integer maxTokens, List<String> stop, boolean stream, boolean includeUsage, ProgressMode progress,
                  boolean returnProgress, ResponsesRequests.Extras responses) {

    ApiRequest(Endpoint endpoint, TurnRequest turn, String promptText, int[] promptIds, SamplingParams sampling,
               Integer maxTokens, List<String> stop, boolean stream, boolean includeUsage, ProgressMode progress,
               boolean returnProgress) {
        this(endpoint, turn, promptText, promptIds, sampling, maxTokens, stop, stream, includeUsage, progress,
                returnProgress, null);
    }

    /** How prefill progress goes on the wire of a stream. */
    enum ProgressMode {
        /** ": prefill_progress {json}" comment lines, ignored by every SSE client (the default). */
        COMMENTS,
        /** "event: prefill_progress" + "data:", for EventSource-style clients that ask for it. */
        EVENTS;

        static ProgressMode parse(String bodyValue, String headerValue) {
            String v = bodyValue != null ? bodyValue : headerValue;
            if (v == null || v.isBlank() || v.equalsIgnoreCase("comments") || v.equalsIgnoreCase("comment")) {
                return COMMENTS;
            }
            if (v.equalsIgnoreCase("events") || v.equalsIgnoreCase("event")) {
                return EVENTS;
            }
            throw ApiException.badParam("prefill_progress",
                    "'prefill_progress' must be \"comments\" or \"events\", got \"" + v + "\"");
        }
    }
}
