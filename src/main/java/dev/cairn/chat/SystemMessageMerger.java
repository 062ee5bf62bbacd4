package dev.cairn.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * For templates without a system role: folds system messages into the next user turn as llama.cpp does
 * ({@code system + "\n" + user}), so a system prompt is never dropped. Other messages pass unchanged, tool calls
 * and all.
 */
final class SystemMessageMerger {
    private SystemMessageMerger() {
    }

    static List<ChatMessage> merge(List<ChatMessage> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size());
        String pending = null;
        for (ChatMessage m : messages) {
            if ("system".equals(m.role())) {
                pending = pending == null ? m.content() : pending + "\n" + m.content();
                continue;
            }
            if (pending != null && "user".equals(m.role())) {
                String content = m.content() == null || m.content().isEmpty() ? pending : pending + "\n" + m.content();
                out.add(new ChatMessage("user", content, m.toolCalls(), m.toolCallId(), m.name(), m.reasoning()));
                pending = null;
                continue;
            }
            out.add(m);
        }
        if (pending != null) {
            out.add(new ChatMessage("user", pending));
        }
        return out;
    }
}
