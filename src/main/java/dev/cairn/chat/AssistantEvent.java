package dev.cairn.chat;

/**
 * What an assistant's generated text means, piece by piece, once the model's own markup (tool-call tags, thinking
 * tags) is taken out. Tool calls are numbered from 0 in the order they appear.
 */
public sealed interface AssistantEvent {
    /** Answer text. */
    record Text(String text) implements AssistantEvent {
    }

    /** Thinking text (inside {@code <think>…</think>} or the model's equivalent). */
    record Reasoning(String text) implements AssistantEvent {
    }

    /** A call begins; its name is known. {@code id} is freshly made ("call_" + random) when the model gives none. */
    record ToolCallStart(int index, String id, String name) implements AssistantEvent {
    }

    /** A fragment of the call's arguments JSON; the fragments of one call joined are its arguments JSON text. */
    record ToolCallArguments(int index, String fragment) implements AssistantEvent {
    }

    /** The call is complete. */
    record ToolCallEnd(int index) implements AssistantEvent {
    }
}
