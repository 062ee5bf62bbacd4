package dev.cairn.chat;

/**
 * One function call, in a model's answer or in an assistant turn of the history.
 *
 * @param id        the call's id ("call_…" / "toolu_…"); null when none was given
 * @param arguments the arguments as JSON text of an object
 */
public record ToolCall(String id, String name, String arguments) {
}
