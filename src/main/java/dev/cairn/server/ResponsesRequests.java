package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolCall;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.ToolSpec;
import dev.cairn.chat.TurnRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and checks OpenAI Responses API bodies (POST /v1/responses). Function tools are offered to the model; the
 * other tool types agents send (web_search, namespace, custom, local_shell, mcp, ...) are run by OpenAI or need a
 * grammar of their own, so they are accepted and left out. Fields cairn does not act on (store's persistence beyond
 * memory, include, prompt_cache_key, metadata, client_metadata, user, service_tier, truncation, safety_identifier)
 * are accepted; metadata is echoed.
 */
final class ResponsesRequests {
    private ResponsesRequests() {
    }

    /**
     * What the response object echoes and what is kept for previous_response_id.
     *
     * @param history the conversation this request adds, without instructions (previous turns included), which the
     *                answer extends when the response is stored
     */
    record Extras(String instructions, String previousResponseId, boolean store, JsonNode metadata, ArrayNode tools,
                  JsonNode toolChoice, boolean parallelToolCalls, ObjectNode text, ObjectNode reasoning,
                  Double temperature, Double topP, Integer maxOutputTokens, List<ChatMessage> history,
                  ResponseStore keeper) {
    }

    static ApiRequest parse(ObjectNode body, String progressHeader, ResponseStore store) {
        Fields f = new Fields(body);
        f.string("model");
        if (f.bool("background", false)) {
            throw ApiException.badParam("background", "'background' responses are not supported; send the request"
                    + " and wait for it (stream it to see progress)");
        }
        String previousId = f.string("previous_response_id");
        if (previousId != null && f.has("conversation")) {
            throw ApiException.badParam("conversation", "'conversation' and 'previous_response_id' cannot both be given");
        }
        if (f.has("conversation")) {
            throw ApiException.badParam("conversation", "'conversation' objects are not supported; chain responses"
                    + " with 'previous_response_id' or send the whole input");
        }
        List<ChatMessage> history = new ArrayList<>();
        if (previousId != null) {
            ResponseStore.Stored previous = store.get(previousId);
            if (previous == null) {
                throw new ApiException(ApiException.Kind.BAD_REQUEST, "Previous response with id '" + previousId
                        + "' not found: this server keeps the last " + ResponseStore.CAPACITY
                        + " stored responses in memory", "previous_response_id");
            }
            history.addAll(previous.history());
        }
        ToolRequests.CallNames names = new ToolRequests.CallNames();
        history.forEach(m -> names.remember(m.toolCalls()));
        history.addAll(input(f.require("input"), names));
        String instructions = f.string("instructions");
        List<ChatMessage> messages = new ArrayList<>();
        if (instructions != null && !instructions.isEmpty()) {
            messages.add(new ChatMessage("system", instructions));
        }
        messages.addAll(history);
        messages = leadingSystemJoined(messages);
        if (messages.stream().noneMatch(m -> !m.role().equals("system"))) {
            throw ApiException.badParam("input", "'input' must hold at least one message besides instructions");
        }

        ArrayNode echoedTools = Json.MAPPER.createArrayNode();
        List<ToolSpec> tools = tools(f, echoedTools);
        boolean parallel = f.bool("parallel_tool_calls", true);
        ToolChoice choice = OpenAiTools.choice(f, tools, true);
        ObjectNode text = f.object("text");
        JsonNode format = format(text);
        ObjectNode reasoning = f.object("reasoning");
        Map<String, Object> templateArgs = new LinkedHashMap<>(OpenAiRequests.templateArgs(f));
        thinking(reasoning, templateArgs);
        for (String ignored : List.of("prompt_cache_key", "user", "safety_identifier", "service_tier", "truncation")) {
            f.string(ignored);
        }
        f.stringArray("include");
        f.bool("store");
        Long maxTokens = f.integer("max_output_tokens", 1, Integer.MAX_VALUE);
        TurnRequest turn = new TurnRequest(messages, tools, choice, format, "", templateArgs,
                TurnRequest.ReasoningFormat.DEEPSEEK);
        Extras extras = new Extras(instructions, previousId, f.bool("store", true), f.node("metadata"), echoedTools,
                f.has("tool_choice") ? f.node("tool_choice") : Json.MAPPER.getNodeFactory().textNode("auto"),
                parallel, text, reasoning, f.number("temperature", 0, 2), f.number("top_p", 0, 1),
                maxTokens == null ? null : maxTokens.intValue(), List.copyOf(history), store);
        return new ApiRequest(Endpoint.RESPONSES, turn, null, null, OpenAiRequests.sampling(f),
                maxTokens == null ? null : maxTokens.intValue(), List.of(), f.bool("stream", false), false,
                ApiRequest.ProgressMode.parse(f.string("prefill_progress"), progressHeader), false, extras);
    }

    /** input: a string (one user message) or a list of items. */
    private static List<ChatMessage> input(JsonNode input, ToolRequests.CallNames names) {
        if (input.isTextual()) {
            return List.of(new ChatMessage("user", input.textValue()));
        }
        if (!input.isArray()) {
            throw ApiException.badParam("input", "'input' must be a string or an array of items, got "
                    + Fields.kind(input));
        }
        List<ChatMessage> messages = new ArrayList<>();
        String reasoning = null;
        for (int i = 0; i < input.size(); i++) {
            String where = "input[" + i + "]";
            Fields item = Fields.of(input.get(i), where);
            String type = item.string("type");
            switch (type == null ? "message" : type) {
                case "message" -> {
                    String role = item.requireString("role");
                    String content = content(item, where);
                    switch (role) {
                        case "user" -> messages.add(new ChatMessage("user", content));
                        case "system", "developer" -> messages.add(new ChatMessage("system", content));
                        case "assistant" -> {
                            messages.add(new ChatMessage("assistant", content, List.of(), null, null, reasoning));
                            reasoning = null;
                        }
                        default -> throw ApiException.badParam(where + ".role", "'" + where
                                + ".role' must be one of user, system, developer, assistant; got \"" + role + "\"");
                    }
                }
                case "function_call" -> {
                    String callId = item.requireString("call_id");
                    String name = item.requireString("name");
                    String arguments = item.string("arguments");
                    ToolCall call = new ToolCall(callId, name,
                            ToolRequests.arguments(arguments == null ? "" : arguments, where + ".arguments"));
                    names.remember(List.of(call));
                    // Calls that follow an assistant message (or each other) belong to that one assistant turn.
                    ChatMessage last = messages.isEmpty() ? null : messages.getLast();
                    if (last != null && last.role().equals("assistant")) {
                        List<ToolCall> calls = new ArrayList<>(last.toolCalls());
                        calls.add(call);
                        messages.set(messages.size() - 1, new ChatMessage("assistant", last.content(), calls, null,
                                null, last.reasoning()));
                    } else {
                        messages.add(new ChatMessage("assistant", "", List.of(call), null, null, reasoning));
                        reasoning = null;
                    }
                }
                case "function_call_output" -> {
                    String callId = item.requireString("call_id");
                    JsonNode output = item.require("output");
                    String text = output.isTextual() ? output.textValue()
                            : output.isArray() ? parts(output, where + ".output") : Json.write(output);
                    messages.add(ToolRequests.result(callId, names.nameOf(callId), text));
                }
                case "reasoning" -> reasoning = reasoningText(item);
                case "item_reference" -> throw ApiException.badParam(where + ".type", "'" + where
                        + ".type' \"item_reference\" is not supported; send the items themselves or chain with"
                        + " 'previous_response_id'");
                default -> throw ApiException.badParam(where + ".type", "'" + where + ".type' \"" + type
                        + "\" is not supported; items may be message, function_call, function_call_output or"
                        + " reasoning");
            }
        }
        return messages;
    }

    /** A message's content: a string or input_text/output_text parts (joined with newlines). */
    private static String content(Fields item, String where) {
        JsonNode content = item.require("content");
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw item.wrongType("content", "a string or an array of content parts", content);
        }
        return parts(content, where + ".content");
    }

    private static String parts(JsonNode parts, String where) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < parts.size(); j++) {
            String at = where + "[" + j + "]";
            Fields p = Fields.of(parts.get(j), at);
            String type = p.requireString("type");
            if (!type.equals("input_text") && !type.equals("output_text") && !type.equals("text")) {
                throw ApiException.badParam(at + ".type", "'" + at + ".type' \"" + type
                        + "\" is not supported; only text parts (input_text, output_text) are");
            }
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(p.requireString("text"));
        }
        return sb.toString();
    }

    /** A reasoning item's text (its reasoning_text content, else its summary); encrypted content is ignored. */
    private static String reasoningText(Fields item) {
        StringBuilder sb = new StringBuilder();
        for (String field : List.of("content", "summary")) {
            JsonNode list = item.node(field);
            if (list != null && list.isArray() && sb.isEmpty()) {
                for (JsonNode part : list) {
                    JsonNode t = part.get("text");
                    if (t != null && t.isTextual()) {
                        sb.append(sb.isEmpty() ? "" : "\n").append(t.textValue());
                    }
                }
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Templates take one system message first: instructions and leading developer/system items join into it. */
    private static List<ChatMessage> leadingSystemJoined(List<ChatMessage> messages) {
        int n = 0;
        while (n < messages.size() && messages.get(n).role().equals("system")) {
            n++;
        }
        if (n < 2) {
            return messages;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "\n\n").append(messages.get(i).content());
        }
        List<ChatMessage> out = new ArrayList<>();
        out.add(new ChatMessage("system", sb.toString()));
        out.addAll(messages.subList(n, messages.size()));
        return out;
    }

    /** Function tools ({type, name, description, parameters, strict}, flat as the Responses API has them). */
    private static List<ToolSpec> tools(Fields f, ArrayNode echoed) {
        List<ToolSpec> tools = new ArrayList<>();
        for (Fields t : f.objects("tools", i -> "tools[" + i + "]")) {
            String type = t.requireString("type");
            if (!type.equals("function")) {
                continue;
            }
            String name = t.requireString("name");
            if (name.isEmpty()) {
                throw ApiException.badParam(t.where() + ".name", "'" + t.where() + ".name' must not be empty");
            }
            ToolSpec spec = new ToolSpec(name, t.string("description"), ToolRequests.parameters(t, "parameters"),
                    t.bool("strict", false));
            tools.add(spec);
            ObjectNode e = echoed.addObject();
            e.put("type", "function");
            e.put("name", name);
            e.put("description", spec.description());
            e.set("parameters", spec.parameters());
            e.put("strict", spec.strict());
        }
        ToolRequests.checkUniqueNames(tools, "tools");
        return tools;
    }

    /** text.format: null for "text"; any object for "json_object"; the schema of "json_schema". */
    private static JsonNode format(ObjectNode text) {
        if (text == null) {
            return null;
        }
        Fields t = new Fields(text, "text.");
        t.string("verbosity");
        ObjectNode format = t.object("format");
        if (format == null) {
            return null;
        }
        Fields ff = new Fields(format, "text.format.");
        String type = ff.requireString("type");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> Json.object().put("type", "object");
            case "json_schema" -> {
                ff.requireString("name");
                ff.bool("strict");
                ObjectNode schema = ff.object("schema");
                if (schema == null) {
                    throw ApiException.badParam("text.format.schema", "'text.format.schema' is required for type"
                            + " \"json_schema\"");
                }
                yield schema;
            }
            default -> throw ApiException.badParam("text.format.type", "'text.format.type' must be \"text\","
                    + " \"json_object\" or \"json_schema\", got \"" + type + "\"");
        };
    }

    /** reasoning.effort "none" turns the template's thinking off; another effort turns it on; absent leaves it. */
    private static void thinking(ObjectNode reasoning, Map<String, Object> templateArgs) {
        if (reasoning == null) {
            return;
        }
        Fields r = new Fields(reasoning, "reasoning.");
        r.string("summary");
        r.string("generate_summary");
        String effort = r.string("effort");
        if (effort == null) {
            return;
        }
        switch (effort) {
            case "none" -> templateArgs.putIfAbsent("enable_thinking", false);
            case "minimal", "low", "medium", "high", "xhigh" -> templateArgs.putIfAbsent("enable_thinking", true);
            default -> throw ApiException.badParam("reasoning.effort", "'reasoning.effort' must be one of none,"
                    + " minimal, low, medium, high, xhigh; got \"" + effort + "\"");
        }
    }
}
