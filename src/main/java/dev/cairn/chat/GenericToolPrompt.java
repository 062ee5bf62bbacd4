package dev.cairn.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tools for a template that knows none, as llama.cpp's generic tool format does it (common_chat_params_init_generic
 * and minja's polyfills): the system prompt asks for a JSON answer, {@code {"tool_call": ...}} /
 * {@code {"tool_calls": [...]}} or {@code {"response": ...}}, and lists the tools' schemas with an example; calls in
 * the history become that JSON as the assistant's text, and tool results become user turns holding
 * {@code {"tool_response": {...}}}.
 */
public final class GenericToolPrompt {
    /** llama.cpp's instruction for the generic format, word for word. */
    public static final String INSTRUCTION = "Respond in JSON format, either with `tool_call` (a request to call tools)"
            + " or with `response` reply to the user's request";

    private static final PythonJson INDENTED = new PythonJson(2, ",", ": ", false, false);

    private GenericToolPrompt() {
    }

    /**
     * The messages with the answer format and the tools described in the system prompt (appended to a leading system
     * message after a blank line, or as a new one).
     *
     * @param parallel whether the answer may hold several calls ({@code {"tool_calls": [...]}} with ids), as
     *                 llama.cpp's generic grammar allows under {@code parallel_tool_calls}; otherwise one
     *                 {@code {"tool_call": {...}}}
     */
    public static List<ChatMessage> describe(List<ChatMessage> messages, List<ToolSpec> tools, boolean parallel) {
        String text = INSTRUCTION + "\n\nYou can call any of the following tools to satisfy the user's requests: "
                + INDENTED.dumps(TemplateInputs.tools(tools)) + "\n\nExample tool call syntax:\n\n"
                + INDENTED.dumps(example(parallel)) + "\n\n";
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        if (!messages.isEmpty() && "system".equals(messages.getFirst().role())) {
            ChatMessage system = messages.getFirst();
            out.add(new ChatMessage("system", (system.content() == null ? "" : system.content()) + "\n\n" + text));
            out.addAll(messages.subList(1, messages.size()));
        } else {
            out.add(new ChatMessage("system", text));
            out.addAll(messages);
        }
        return out;
    }

    private static Map<String, Object> example(boolean parallel) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("name", "tool_name");
        call.put("arguments", Map.of("arg1", "some_value"));
        if (!parallel) {
            return Map.of("tool_call", call);
        }
        call.put("id", "call_1___");
        return Map.of("tool_calls", List.of(call));
    }

    /**
     * The history as a template without tool support can show it: when it does not render calls, an assistant turn's
     * calls become its text, {@code {"tool_calls": [{"name", "arguments", "id"}], "content": ...}} (content only when
     * not empty); when it does not render tool results, a tool turn becomes a user turn holding
     * {@code {"tool_response": {"tool", "content", "tool_call_id"}}} (name and id only when known).
     */
    static List<ChatMessage> historyAsText(List<ChatMessage> messages, boolean callsAsText, boolean resultsAsText) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            if (callsAsText && !m.toolCalls().isEmpty()) {
                out.add(new ChatMessage(m.role(), INDENTED.dumps(callsObject(m)), List.of(), m.toolCallId(), m.name(),
                        m.reasoning()));
            } else if (resultsAsText && "tool".equals(m.role())) {
                Map<String, Object> response = new LinkedHashMap<>();
                if (m.name() != null && !m.name().isEmpty()) {
                    response.put("tool", m.name());
                }
                response.put("content", m.content());
                if (m.toolCallId() != null && !m.toolCallId().isEmpty()) {
                    response.put("tool_call_id", m.toolCallId());
                }
                out.add(new ChatMessage("user", INDENTED.dumps(Map.of("tool_response", response))));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static Map<String, Object> callsObject(ChatMessage m) {
        List<Object> calls = new ArrayList<>();
        for (ToolCall c : m.toolCalls()) {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("name", c.name());
            call.put("arguments", TemplateInputs.arguments(c.arguments()));
            if (c.id() != null && !c.id().isEmpty()) {
                call.put("id", c.id());
            }
            calls.add(call);
        }
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("tool_calls", calls);
        if (m.content() != null && !m.content().isEmpty()) {
            obj.put("content", m.content());
        }
        return obj;
    }
}
