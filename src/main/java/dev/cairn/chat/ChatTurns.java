package dev.cairn.chat;

import dev.cairn.grammar.Grammar;
import dev.cairn.grammar.TokenConstraint;
import dev.cairn.grammar.TokenConstraints;
import dev.cairn.tokenizer.Tokenizer;
import java.util.List;

/**
 * Plans a chat turn for a model: picks its tool-call format from its template, renders the prompt with the tools
 * (the template's own way, or described in the system prompt when the format is llama.cpp's generic JSON), builds the
 * output constraint (forced calls and response formats strict, tool_choice auto lazy) and the output parser.
 */
public final class ChatTurns {
    private ChatTurns() {
    }

    /**
     * @throws TemplateException when the template fails
     * @throws dev.cairn.grammar.SchemaException when a strict schema uses a keyword that cannot be enforced
     * @throws IllegalArgumentException when tool_choice names a function that is not among the tools
     */
    public static TurnPlan plan(TurnRequest request, ChatTemplate template, Tokenizer tokenizer) {
        String source = template.source();
        ToolCallFormat format = ToolCallFormat.detect(source);
        ToolChoice choice = request.toolChoice();
        // As llama.cpp: with tool_choice none the tools are not offered at all.
        List<ToolSpec> offered = choice.mode() == ToolChoice.Mode.NONE ? List.of() : request.tools();
        String prompt = render(request, template, format, offered) + request.assistantPrefill();
        boolean startsInReasoning = opensThinking(prompt);
        AssistantParser parser = offered.isEmpty()
                ? ToolCallFormat.textOnly(request.reasoning(), startsInReasoning)
                : format.parser(offered, request.reasoning(), startsInReasoning);
        // A prompt that already closed the thinking block (Qwen3 with enable_thinking false) leaves none to open.
        boolean thinks = ToolCallFormat.thinks(source) && !closesThinking(prompt);
        TokenConstraint constraint = constraint(request, format, offered, thinks, startsInReasoning, tokenizer);
        return new TurnPlan(prompt, constraint, parser, startsInReasoning);
    }

    private static String render(TurnRequest request, ChatTemplate template, ToolCallFormat format,
                                 List<ToolSpec> offered) {
        if (!offered.isEmpty() && format == ToolCallFormat.GENERIC) {
            // The generic format's answer grammar follows parallel_tool_calls, so its description must too.
            List<ChatMessage> described = GenericToolPrompt.describe(request.messages(), offered,
                    request.toolChoice().parallel());
            return template.renderForTokenizer(described, List.of(), true, request.templateArgs());
        }
        return template.renderForTokenizer(request.messages(), offered, true, request.templateArgs());
    }

    /** Whether the prompt ends with a closed thinking block (only whitespace after its {@code </think>}). */
    static boolean closesThinking(String prompt) {
        return prompt.stripTrailing().endsWith(ReasoningSplitter.CLOSE);
    }

    /** Whether the prompt ends inside a thinking block it opened (the last {@code <think>} is not closed). */
    static boolean opensThinking(String prompt) {
        int open = prompt.lastIndexOf(ReasoningSplitter.OPEN);
        return open >= 0 && prompt.indexOf(ReasoningSplitter.CLOSE, open) < 0;
    }

    private static TokenConstraint constraint(TurnRequest request, ToolCallFormat format, List<ToolSpec> offered,
                                              boolean thinks, boolean startsInReasoning, Tokenizer tokenizer) {
        ToolChoice choice = request.toolChoice();
        boolean forced = choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.NAMED;
        Grammar body;
        if (!offered.isEmpty() && forced) {
            body = ToolCallGrammars.calls(format, callable(offered, choice), choice.parallel());
        } else if (request.responseFormat() != null) {
            body = responseGrammar(request);
            if (!offered.isEmpty()) {
                body = Grammar.choice(body, ToolCallGrammars.calls(format, offered, choice.parallel()));
            }
        } else if (!offered.isEmpty() && format == ToolCallFormat.GENERIC) {
            // The generic format's answer is JSON whether it calls or not, so its grammar holds from the start.
            body = Grammar.choice(ToolCallGrammars.genericResponse(),
                    ToolCallGrammars.calls(format, offered, choice.parallel()));
        } else if (!offered.isEmpty()) {
            return TokenConstraints.lazy(ToolCallGrammars.calls(format, offered, choice.parallel()),
                    ToolCallGrammars.triggers(format), tokenizer);
        } else {
            return null;
        }
        return TokenConstraints.strict(ToolCallGrammars.afterThinking(body, thinks, startsInReasoning), tokenizer);
    }

    private static Grammar responseGrammar(TurnRequest request) {
        var schema = request.responseFormat();
        return schema.isObject() && schema.isEmpty() ? Grammar.jsonObject() : Grammar.jsonSchema(schema);
    }

    private static List<ToolSpec> callable(List<ToolSpec> offered, ToolChoice choice) {
        if (choice.mode() != ToolChoice.Mode.NAMED) {
            return offered;
        }
        List<ToolSpec> named = offered.stream().filter(t -> t.name().equals(choice.name())).toList();
        if (named.isEmpty()) {
            throw new IllegalArgumentException("tool_choice names the function '" + choice.name()
                    + "', which is not among the tools");
        }
        return named;
    }
}
