package dev.cairn.chat;

import java.util.List;

/**
 * One turn of a conversation.
 *
 * @param role       "system", "user", "assistant" or "tool"
 * @param content    the text ("" when an assistant turn holds only tool calls)
 * @param toolCalls  the calls an assistant turn made (empty otherwise)
 * @param toolCallId for a "tool" turn: the id of the call it answers (null otherwise)
 * @param name       for a "tool" turn: the called function's name, when known (null otherwise)
 * @param reasoning  an assistant turn's thinking text, when a client sends it back (null when none)
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId, String name,
                          String reasoning) {
    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of(), null, null, null);
    }
}
