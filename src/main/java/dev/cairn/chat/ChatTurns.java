package dev.cairn.chat;

import dev.cairn.tokenizer.Tokenizer;

/**
 * Plans a chat turn for a model: picks its tool-call format from its template, renders the prompt with the tools
 * (the template's own way, or described in the system prompt when the template knows no tools), builds the output
 * constraint (forced calls and response formats strict, tool_choice auto lazy) and the output parser.
 *
 * <p>SKELETON: the public API the server codes against; the chat helper fills it in.
 */
public final class ChatTurns {
    private ChatTurns() {
    }

    /**
     * @throws TemplateException when the template fails
     * @throws dev.cairn.grammar.SchemaException when a strict schema uses a keyword that cannot be enforced
     */
    public static TurnPlan plan(TurnRequest request, ChatTemplate template, Tokenizer tokenizer) {
        throw new UnsupportedOperationException("not yet");
    }
}
