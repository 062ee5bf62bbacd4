package dev.cairn.chat;

/** One turn of a conversation: role is "system", "user", "assistant" (or "tool"). */
public record ChatMessage(String role, String content) {
}
