package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.AssistantEvent;
import dev.cairn.engine.EngineEvent;
import java.util.List;

/**
 * Anthropic Messages responses and the stream event sequence in Anthropic's order. An answer is a list of content
 * blocks (thinking, text, tool_use) in the order the model wrote them; a stream opens each block when its first piece
 * is known (content_block_start, then deltas, then content_block_stop), with indexes counting up across kinds.
 * cairn's thinking blocks carry an empty signature: there is nothing to sign.
 */
final class AnthropicShape extends ResponseShape {
    private enum Kind { TEXT, THINKING, TOOL_USE }

    /** The block open in the stream (null when none) and its index; the next block's index. */
    private Kind open;
    private int openIndex = -1;
    private int nextIndex;
    private boolean calledTools;

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

    /** Blocks open with their first piece, so nothing is sent before it. */
    @Override
    String answerStarted() {
        return "";
    }

    @Override
    String events(List<AssistantEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (AssistantEvent e : events) {
            switch (e) {
                case AssistantEvent.Text t -> {
                    sb.append(ensureOpen(Kind.TEXT, textBlock("")));
                    sb.append(delta(Json.object().put("type", "text_delta").put("text", t.text())));
                }
                case AssistantEvent.Reasoning r -> {
                    sb.append(ensureOpen(Kind.THINKING, thinkingBlock("")));
                    sb.append(delta(Json.object().put("type", "thinking_delta").put("thinking", r.text())));
                }
                case AssistantEvent.ToolCallStart c -> {
                    ObjectNode block = toolUseBlock(c.id(), c.name());
                    block.putObject("input");
                    sb.append(ensureOpen(Kind.TOOL_USE, block));
                }
                case AssistantEvent.ToolCallArguments a -> {
                    if (!a.fragment().isEmpty()) {
                        sb.append(delta(Json.object().put("type", "input_json_delta").put("partial_json", a.fragment())));
                    }
                }
                case AssistantEvent.ToolCallEnd ignored -> {
                    calledTools = true;
                    sb.append(close());
                }
            }
        }
        return sb.toString();
    }

    @Override
    String finished(EngineEvent.Done done) {
        StringBuilder sb = new StringBuilder();
        if (nextIndex == 0) {
            // Nothing was generated (or all of it was held back and dropped): one empty text block, as Anthropic sends.
            sb.append(ensureOpen(Kind.TEXT, textBlock("")));
        }
        sb.append(close());
        ObjectNode delta = Json.object();
        delta.put("type", "message_delta");
        ObjectNode d = delta.putObject("delta");
        d.put("stop_reason", stopReason(done, calledTools));
        d.put("stop_sequence", stopSequence(done, calledTools));
        delta.set("usage", usage(done.promptTokens(), done.cachedTokens(), done.generatedTokens()));
        ObjectNode end = Json.object();
        end.put("type", "message_stop");
        return sb.append(Sse.event("message_delta", delta)).append(Sse.event("message_stop", end)).toString();
    }

    /** Opens a block of {@code kind} unless one is open already; the first block is followed by a ping, as Anthropic's. */
    private String ensureOpen(Kind kind, ObjectNode block) {
        if (open == kind && kind != Kind.TOOL_USE) {
            return "";
        }
        String closed = close();
        open = kind;
        openIndex = nextIndex++;
        ObjectNode start = Json.object();
        start.put("type", "content_block_start");
        start.put("index", openIndex);
        start.set("content_block", block);
        String frames = closed + Sse.event("content_block_start", start);
        if (openIndex == 0) {
            frames += Sse.event("ping", Json.object().put("type", "ping"));
        }
        return frames;
    }

    /** Closes the open block; a thinking block gets its (empty) signature first, as Anthropic sends one. */
    private String close() {
        if (open == null) {
            return "";
        }
        String frames = "";
        if (open == Kind.THINKING) {
            frames = delta(Json.object().put("type", "signature_delta").put("signature", ""));
        }
        ObjectNode stop = Json.object();
        stop.put("type", "content_block_stop");
        stop.put("index", openIndex);
        open = null;
        return frames + Sse.event("content_block_stop", stop);
    }

    private String delta(ObjectNode delta) {
        ObjectNode event = Json.object();
        event.put("type", "content_block_delta");
        event.put("index", openIndex);
        event.set("delta", delta);
        return Sse.event("content_block_delta", event);
    }

    @Override
    String failed(ApiException.Kind kind, String message) {
        return Sse.event("error", Dialect.ANTHROPIC.errorBody(kind, message, null));
    }

    @Override
    ObjectNode complete(Answer answer, EngineEvent.Done done) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model);
        ArrayNode content = root.putArray("content");
        boolean calls = false;
        for (Answer.Block b : answer.blocks()) {
            switch (b) {
                case Answer.TextBlock t -> content.add(textBlock(t.text().toString()));
                case Answer.ReasoningBlock r -> content.add(thinkingBlock(r.text().toString()));
                case Answer.Call c -> {
                    calls = true;
                    ObjectNode block = toolUseBlock(c.id, c.name);
                    block.set("input", input(c.arguments.toString()));
                    content.add(block);
                }
            }
        }
        if (content.isEmpty()) {
            content.add(textBlock(""));
        }
        root.put("stop_reason", stopReason(done, calls));
        root.put("stop_sequence", stopSequence(done, calls));
        root.set("usage", usage(done.promptTokens(), done.cachedTokens(), done.generatedTokens()));
        return root;
    }

    private static ObjectNode textBlock(String text) {
        return Json.object().put("type", "text").put("text", text);
    }

    private static ObjectNode thinkingBlock(String thinking) {
        return Json.object().put("type", "thinking").put("thinking", thinking).put("signature", "");
    }

    /** Anthropic's ids start "toolu_"; a parser's fresh "call_" id is renamed, a model's own id kept. */
    private static ObjectNode toolUseBlock(String id, String name) {
        String toolId = id.startsWith("call_") ? "toolu_" + id.substring(5) : id;
        return Json.object().put("type", "tool_use").put("id", toolId).put("name", name);
    }

    /** A complete call's arguments are a JSON object (the parser guarantees it); anything else would be a parser bug. */
    private static JsonNode input(String arguments) {
        try {
            JsonNode node = Json.MAPPER.readTree(arguments);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (java.io.IOException e) {
            // falls through to the error below
        }
        throw new IllegalStateException("a complete tool call's arguments are not a JSON object: " + arguments);
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

    private static String stopReason(EngineEvent.Done done, boolean calledTools) {
        if (done.reason() == EngineEvent.FinishReason.LENGTH) {
            return "max_tokens";
        }
        if (calledTools) {
            return "tool_use";
        }
        return done.reason() == EngineEvent.FinishReason.STOP ? "stop_sequence" : "end_turn";
    }

    private static String stopSequence(EngineEvent.Done done, boolean calledTools) {
        return stopReason(done, calledTools).equals("stop_sequence") ? done.stopString() : null;
    }
}
