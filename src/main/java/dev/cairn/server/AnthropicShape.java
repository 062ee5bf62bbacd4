package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.EngineEvent;

/** Anthropic Messages responses and the stream event sequence in Anthropic's order. */
final class AnthropicShape extends ResponseShape {
    AnthropicShape(String id, String model, ApiRequest request, int promptTokens) {
        super(id, model, request, promptTokens);
    }

    @Override
    String prefillStarted(int cached) {
        ObjectNode message = Json.object();
        message.put("id", id);
        message.put("type", "message");
        message.put("role", "assistant");
        message.putArray("content");
        message.put("model", model);
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(promptTokens, cached, 0));
        ObjectNode start = Json.object();
        start.put("type", "message_start");
        start.set("message", message);
        return Sse.event("message_start", start);
    }

    @Override
    String answerStarted() {
        ObjectNode start = Json.object();
        start.put("type", "content_block_start");
        start.put("index", 0);
        start.putObject("content_block").put("type", "text").put("text", "");
        ObjectNode ping = Json.object();
        ping.put("type", "ping");
        return Sse.event("content_block_start", start) + Sse.event("ping", ping);
    }

    @Override
    String delta(String text) {
        ObjectNode event = Json.object();
        event.put("type", "content_block_delta");
        event.put("index", 0);
        event.putObject("delta").put("type", "text_delta").put("text", text);
        return Sse.event("content_block_delta", event);
    }

    @Override
    String finished(EngineEvent.Done done) {
        ObjectNode stop = Json.object();
        stop.put("type", "content_block_stop");
        stop.put("index", 0);
        ObjectNode delta = Json.object();
        delta.put("type", "message_delta");
        ObjectNode d = delta.putObject("delta");
        d.put("stop_reason", stopReason(done));
        d.put("stop_sequence", stopSequence(done));
        delta.set("usage", usage(done.promptTokens(), done.cachedTokens(), done.generatedTokens()));
        ObjectNode end = Json.object();
        end.put("type", "message_stop");
        return Sse.event("content_block_stop", stop) + Sse.event("message_delta", delta)
                + Sse.event("message_stop", end);
    }

    @Override
    String failed(ApiException.Kind kind, String message) {
        return Sse.event("error", Dialect.ANTHROPIC.errorBody(kind, message, null));
    }

    @Override
    ObjectNode complete(String text, EngineEvent.Done done) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model);
        root.putArray("content").addObject().put("type", "text").put("text", text);
        root.put("stop_reason", stopReason(done));
        root.put("stop_sequence", stopSequence(done));
        root.set("usage", usage(done.promptTokens(), done.cachedTokens(), done.generatedTokens()));
        return root;
    }

    /** Anthropic counts cache reads apart: input_tokens excludes them. */
    private static ObjectNode usage(int prompt, int cached, int output) {
        ObjectNode usage = Json.object();
        usage.put("input_tokens", prompt - cached);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", cached);
        usage.put("output_tokens", output);
        return usage;
    }

    private static String stopReason(EngineEvent.Done done) {
        return switch (done.reason()) {
            case LENGTH -> "max_tokens";
            case STOP -> "stop_sequence";
            default -> "end_turn";
        };
    }

    private static String stopSequence(EngineEvent.Done done) {
        return done.reason() == EngineEvent.FinishReason.STOP ? done.stopString() : null;
    }
}
