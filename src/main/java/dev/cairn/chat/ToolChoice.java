package dev.cairn.chat;

/**
 * Whether and which tools the model must call: OpenAI's auto / none / required / named function, Anthropic's auto /
 * none / any / tool.
 *
 * @param name     the function for {@link Mode#NAMED}, null otherwise
 * @param parallel whether one answer may hold several calls (OpenAI parallel_tool_calls, Anthropic's negated
 *                 disable_parallel_tool_use)
 */
public record ToolChoice(Mode mode, String name, boolean parallel) {
    public enum Mode { AUTO, NONE, REQUIRED, NAMED }

    public static ToolChoice auto() {
        return new ToolChoice(Mode.AUTO, null, true);
    }
}
