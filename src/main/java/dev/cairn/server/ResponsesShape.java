package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.AssistantEvent;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolCall;
import dev.cairn.engine.EngineEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The Responses API's response object and its stream: named events, each with a sequence_number, from
 * response.created to response.completed (response.incomplete when the length limit ended it, response.failed on an
 * error), and no [DONE] line. Output items open as the answer turns from thinking to text to calls: a reasoning item
 * (reasoning_text), a message (one output_text part), a function_call per call. A finished response is kept in the
 * {@link ResponseStore} unless the request said store: false.
 */
final class ResponsesShape extends ResponseShape {
    private final ResponsesRequests.Extras extras;
    private final Answer answer = new Answer();
    /** Items finished so far, as they go in the response's output. */
    private final List<ObjectNode> output = new ArrayList<>();
    private int sequence;
    private Open open;

    /** The item being streamed: its kind, id, place in the output and text (or arguments) so far. */
    private static final class Open {
        final String type;
        final String id;
        final int index;
        final StringBuilder text = new StringBuilder();
        String callId;
        String name;

        Open(String type, String id, int index) {
            this.type = type;
            this.id = id;
            this.index = index;
        }
    }

    ResponsesShape(String id, String model, ApiRequest request, int promptTokens) {
        super(id, model, request, promptTokens);
        this.extras = request.responses();
    }

    @Override
    String prefillStarted(int cachedTokens) {
        ObjectNode response = response("in_progress", List.of(), null);
        return event("response.created", Json.object().set("response", response))
                + event("response.in_progress", Json.object().set("response", response.deepCopy()));
    }

    @Override
    String answerStarted() {
        return "";
    }

    @Override
    String events(List<AssistantEvent> events) {
        answer.addAll(events);
        StringBuilder sb = new StringBuilder();
        for (AssistantEvent e : events) {
            switch (e) {
                case AssistantEvent.Text t -> {
                    if (open == null || !open.type.equals("message")) {
                        sb.append(close()).append(openItem("message", "msg_"));
                    }
                    open.text.append(t.text());
                    sb.append(event("response.output_text.delta", part(Json.object()).put("delta", t.text())
                            .set("logprobs", Json.MAPPER.createArrayNode())));
                }
                case AssistantEvent.Reasoning r -> {
                    if (open == null || !open.type.equals("reasoning")) {
                        sb.append(close()).append(openItem("reasoning", "rs_"));
                    }
                    open.text.append(r.text());
                    sb.append(event("response.reasoning_text.delta", part(Json.object()).put("delta", r.text())));
                }
                case AssistantEvent.ToolCallStart c -> {
                    sb.append(close());
                    Open call = new Open("function_call", "fc_" + Ids.random(24), output.size());
                    call.callId = c.id();
                    call.name = c.name();
                    open = call;
                    sb.append(event("response.output_item.added", itemEvent(item(call, "in_progress"))));
                }
                case AssistantEvent.ToolCallArguments a -> {
                    if (open != null && open.type.equals("function_call") && !a.fragment().isEmpty()) {
                        open.text.append(a.fragment());
                        sb.append(event("response.function_call_arguments.delta", Json.object()
                                .put("item_id", open.id).put("output_index", open.index).put("delta", a.fragment())));
                    }
                }
                case AssistantEvent.ToolCallEnd ignored -> sb.append(close());
            }
        }
        return sb.toString();
    }

    @Override
    String finished(EngineEvent.Done done) {
        String closing = close();
        ObjectNode response = finish(done, List.copyOf(output));
        String type = response.get("status").textValue().equals("completed") ? "response.completed"
                : "response.incomplete";
        return closing + event(type, Json.object().set("response", response));
    }

    @Override
    String failed(ApiException.Kind kind, String message) {
        ObjectNode error = Json.object();
        error.put("code", kind == ApiException.Kind.CANCELLED ? "cancelled" : "server_error");
        error.put("message", message);
        return event("response.failed", Json.object().set("response", response("failed", output, error)));
    }

    @Override
    ObjectNode complete(Answer whole, EngineEvent.Done done) {
        List<ObjectNode> items = new ArrayList<>();
        for (Answer.Block b : whole.blocks()) {
            Open item = switch (b) {
                case Answer.TextBlock t -> withText(new Open("message", "msg_" + Ids.random(24), items.size()),
                        t.text());
                case Answer.ReasoningBlock r -> withText(new Open("reasoning", "rs_" + Ids.random(24), items.size()),
                        r.text());
                case Answer.Call c -> {
                    Open call = withText(new Open("function_call", "fc_" + Ids.random(24), items.size()),
                            c.arguments);
                    call.callId = c.id;
                    call.name = c.name;
                    yield call;
                }
            };
            items.add(item(item, "completed"));
        }
        return finish(done, items, whole);
    }

    private static Open withText(Open o, CharSequence text) {
        o.text.append(text);
        return o;
    }

    private ObjectNode finish(EngineEvent.Done done, List<ObjectNode> items) {
        return finish(done, items, answer);
    }

    /** The final response object; kept for previous_response_id unless store is false. */
    private ObjectNode finish(EngineEvent.Done done, List<ObjectNode> items, Answer whole) {
        boolean truncated = done.reason() == EngineEvent.FinishReason.LENGTH;
        ObjectNode response = response(truncated ? "incomplete" : "completed", items, null);
        if (truncated) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        }
        ObjectNode usage = response.putObject("usage");
        usage.put("input_tokens", done.promptTokens());
        usage.putObject("input_tokens_details").put("cached_tokens", done.cachedTokens()).put("cache_write_tokens", 0);
        usage.put("output_tokens", done.generatedTokens());
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", done.promptTokens() + done.generatedTokens());
        if (extras.store()) {
            List<ChatMessage> history = new ArrayList<>(extras.history());
            List<ToolCall> calls = new ArrayList<>();
            for (Answer.Call c : whole.calls()) {
                calls.add(new ToolCall(c.id, c.name, c.arguments.toString()));
            }
            String reasoning = whole.reasoning();
            history.add(new ChatMessage("assistant", whole.text(), calls, null, null,
                    reasoning.isEmpty() ? null : reasoning));
            extras.keeper().put(id, new ResponseStore.Stored(response.deepCopy(), List.copyOf(history)));
        }
        return response;
    }

    /** The response object with everything the SDKs read, echoing the request's settings. */
    private ObjectNode response(String status, List<ObjectNode> items, ObjectNode error) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", created);
        r.put("status", status);
        r.put("background", false);
        r.set("error", error);
        r.putNull("incomplete_details");
        r.put("instructions", extras.instructions());
        r.put("max_output_tokens", extras.maxOutputTokens());
        r.put("model", model);
        ArrayNode out = r.putArray("output");
        items.forEach(out::add);
        r.put("parallel_tool_calls", extras.parallelToolCalls());
        r.put("previous_response_id", extras.previousResponseId());
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", extras.reasoning() == null ? null : extras.reasoning().get("effort"));
        reasoning.set("summary", extras.reasoning() == null ? null : extras.reasoning().get("summary"));
        r.put("store", extras.store());
        r.put("temperature", extras.temperature() == null ? request.sampling().temperature()
                : extras.temperature());
        ObjectNode text = extras.text() != null ? extras.text().deepCopy() : Json.object();
        if (!text.has("format")) {
            text.putObject("format").put("type", "text");
        }
        r.set("text", text);
        r.set("tool_choice", extras.toolChoice());
        r.set("tools", extras.tools());
        r.put("top_p", extras.topP() == null ? request.sampling().topP() : extras.topP());
        r.put("truncation", "disabled");
        r.putNull("usage");
        r.putNull("user");
        r.set("metadata", extras.metadata() == null ? Json.object() : extras.metadata());
        return r;
    }

    /** Opens a message or reasoning item with its one content part. */
    private String openItem(String type, String prefix) {
        open = new Open(type, prefix + Ids.random(24), output.size());
        return event("response.output_item.added", itemEvent(item(open, "in_progress")))
                + event("response.content_part.added", part(Json.object()).set("part", contentPart(open, "")));
    }

    /** Closes the open item: its .done events, then response.output_item.done. */
    private String close() {
        if (open == null) {
            return "";
        }
        Open o = open;
        open = null;
        String text = o.text.toString();
        String frames = switch (o.type) {
            case "message" -> event("response.output_text.done", part(o, Json.object()).put("text", text)
                    .set("logprobs", Json.MAPPER.createArrayNode()))
                    + event("response.content_part.done", part(o, Json.object()).set("part", contentPart(o, text)));
            case "reasoning" -> event("response.reasoning_text.done", part(o, Json.object()).put("text", text))
                    + event("response.content_part.done", part(o, Json.object()).set("part", contentPart(o, text)));
            default -> event("response.function_call_arguments.done", Json.object().put("item_id", o.id)
                    .put("output_index", o.index).put("name", o.name).put("arguments", text));
        };
        ObjectNode done = item(o, "completed");
        output.add(done);
        return frames + event("response.output_item.done", Json.object().put("output_index", o.index)
                .set("item", done));
    }

    private static ObjectNode item(Open o, String status) {
        ObjectNode item = Json.object();
        item.put("id", o.id);
        item.put("type", o.type);
        String text = o.text.toString();
        switch (o.type) {
            case "message" -> {
                item.put("status", status);
                item.put("role", "assistant");
                ArrayNode content = item.putArray("content");
                if (!status.equals("in_progress")) {
                    content.add(contentPart(o, text));
                }
            }
            case "reasoning" -> {
                item.putArray("summary");
                ArrayNode content = item.putArray("content");
                if (!status.equals("in_progress")) {
                    content.add(contentPart(o, text));
                }
                item.putNull("encrypted_content");
            }
            default -> {
                item.put("status", status);
                item.put("call_id", o.callId);
                item.put("name", o.name);
                item.put("arguments", text);
            }
        }
        return item;
    }

    private static ObjectNode contentPart(Open o, String text) {
        ObjectNode part = Json.object();
        if (o.type.equals("reasoning")) {
            part.put("type", "reasoning_text");
            part.put("text", text);
        } else {
            part.put("type", "output_text");
            part.putArray("annotations");
            part.putArray("logprobs");
            part.put("text", text);
        }
        return part;
    }

    private ObjectNode itemEvent(ObjectNode item) {
        return Json.object().put("output_index", item == null ? 0 : output.size()).set("item", item);
    }

    private ObjectNode part(ObjectNode event) {
        return part(open, event);
    }

    private static ObjectNode part(Open o, ObjectNode event) {
        return event.put("item_id", o.id).put("output_index", o.index).put("content_index", 0);
    }

    private String event(String type, ObjectNode body) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.put("sequence_number", sequence++);
        e.setAll(body);
        return Sse.event(type, e);
    }
}
