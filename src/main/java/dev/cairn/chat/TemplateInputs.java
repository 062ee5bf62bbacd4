package dev.cairn.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a chat template sees, shaped as Hugging Face's {@code apply_chat_template(messages, tools=...)} gives
 * them: plain maps and lists in the clients' key order, so {@code tojson} and {@code items()} give what jinja2 gives.
 */
final class TemplateInputs {
    // Plain Java values (LinkedHashMap, ArrayList, Integer/Long/BigInteger, Double, Boolean, null), keys in order.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TemplateInputs() {
    }

    /**
     * One message: {@code role}, {@code content}, and only when present {@code tool_calls}, {@code tool_call_id},
     * {@code name} and {@code reasoning_content}.
     *
     * @param objectArguments give call arguments as the object their JSON text holds (Hugging Face's way); otherwise
     *                        as the text, for templates that only concatenate them
     * @param nullContent     an assistant turn holding only calls gets content None (as OpenAI clients send it),
     *                        otherwise ""
     */
    static Map<String, Object> message(ChatMessage m, boolean objectArguments, boolean nullContent) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", m.role());
        boolean onlyCalls = !m.toolCalls().isEmpty() && (m.content() == null || m.content().isEmpty());
        map.put("content", m.content() == null || onlyCalls ? (nullContent ? null : "") : m.content());
        if (!m.toolCalls().isEmpty()) {
            List<Object> calls = new ArrayList<>(m.toolCalls().size());
            for (ToolCall c : m.toolCalls()) {
                calls.add(call(c, objectArguments));
            }
            map.put("tool_calls", calls);
        }
        if (m.toolCallId() != null) {
            map.put("tool_call_id", m.toolCallId());
        }
        if (m.name() != null) {
            map.put("name", m.name());
        }
        if (m.reasoning() != null) {
            map.put("reasoning_content", m.reasoning());
        }
        return map;
    }

    static Map<String, Object> call(ToolCall c, boolean objectArguments) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", c.name());
        function.put("arguments", objectArguments ? arguments(c.arguments()) : c.arguments());
        Map<String, Object> call = new LinkedHashMap<>();
        if (c.id() != null) {
            call.put("id", c.id());
        }
        call.put("type", "function");
        call.put("function", function);
        return call;
    }

    /** A call's arguments as the value their JSON text holds; text that is not JSON stays text, as llama.cpp keeps it. */
    static Object arguments(String text) {
        if (text == null || text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /**
     * The tools: {@code [{"type": "function", "function": {"name", "description", "parameters"}}]}, description ""
     * when a tool has none, as llama.cpp passes it (Hermes' and Functionary's templates fail on a missing one).
     */
    static List<Object> tools(List<ToolSpec> tools) {
        List<Object> out = new ArrayList<>(tools.size());
        for (ToolSpec t : tools) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", t.name());
            function.put("description", t.description() == null ? "" : t.description());
            function.put("parameters", value(t.parameters()));
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "function");
            tool.put("function", function);
            out.add(tool);
        }
        return out;
    }

    static Object value(JsonNode node) {
        return node == null ? new LinkedHashMap<>() : JSON.convertValue(node, Object.class);
    }
}
