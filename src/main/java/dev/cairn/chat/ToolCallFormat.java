package dev.cairn.chat;

import java.util.List;

/**
 * The ways models write tool calls that cairn reads, told apart by the chat template's source as llama.cpp's
 * common/chat.cpp does.
 */
public enum ToolCallFormat {
    /** Hermes 2 Pro / Hermes 3 / Qwen2.5 / Qwen3: {@code <tool_call>{json}</tool_call>}. */
    HERMES,
    /** Qwen3-Coder: {@code <tool_call><function=NAME><parameter=P>…</parameter></function></tool_call>}. */
    QWEN3_CODER,
    /** Llama 3.1 / 3.2 / 3.3: {@code {"name": …, "parameters": …}}, also after {@code <|python_tag|>}. */
    LLAMA3_JSON,
    /** Mistral Nemo: {@code [TOOL_CALLS][{"name": …, "arguments": …, "id": …}]}. */
    MISTRAL_NEMO,
    /** Templates that know no tools: the answer is JSON, {@code {"tool_call": …}} or {@code {"response": …}}. */
    GENERIC;

    /** The format a template's source shows. */
    public static ToolCallFormat detect(String templateSource) {
        String src = templateSource == null ? "" : templateSource;
        if (src.contains("[TOOL_CALLS]")) {
            return MISTRAL_NEMO;
        }
        if (src.contains("<tool_call>") && src.contains("<function=") && src.contains("<parameter=")) {
            return QWEN3_CODER;
        }
        if (src.contains("<tool_call>")) {
            return HERMES;
        }
        // Functionary v3.1 shares Llama's ipython header but writes <function=…> calls, a format cairn does not read.
        if (src.contains("<|start_header_id|>ipython<|end_header_id|>") && !src.contains("<function=")) {
            return LLAMA3_JSON;
        }
        return GENERIC;
    }

    /** Whether the template's model thinks in {@code <think>…</think>} (Qwen3, QwQ, DeepSeek-R1 distills). */
    public static boolean thinks(String templateSource) {
        return templateSource != null && templateSource.contains("<think>");
    }

    CallSyntax syntax(List<ToolSpec> tools) {
        return switch (this) {
            case HERMES -> new HermesSyntax();
            case QWEN3_CODER -> new Qwen3CoderSyntax(tools);
            case LLAMA3_JSON -> new LlamaJsonSyntax();
            case MISTRAL_NEMO -> new MistralNemoSyntax();
            case GENERIC -> new GenericJsonSyntax();
        };
    }

    /**
     * A parser for one generation in this format.
     *
     * @param tools             the tools offered (Qwen3-Coder types its values by their schemas)
     * @param reasoning         DEEPSEEK splits thinking out; NONE leaves it inline as text
     * @param startsInReasoning the prompt opened a thinking block, so the answer starts inside it
     */
    public AssistantParser parser(List<ToolSpec> tools, TurnRequest.ReasoningFormat reasoning,
                                  boolean startsInReasoning) {
        CallScanner calls = new CallScanner(syntax(tools == null ? List.of() : tools));
        AnswerScanner answer = this == GENERIC ? new GenericResponseScanner(calls) : calls;
        return new FormatParser(answer, splitter(reasoning, startsInReasoning));
    }

    /** A parser for a generation that may not call tools: thinking split off, everything else is text. */
    public static AssistantParser textOnly(TurnRequest.ReasoningFormat reasoning, boolean startsInReasoning) {
        CallSyntax noCalls = new CallSyntax() {
            @Override
            public Match start(String text, int at) {
                return Match.NO;
            }

            @Override
            public Block block(String text, int at, boolean complete) {
                throw new IllegalStateException("no call starts");
            }
        };
        return new FormatParser(new CallScanner(noCalls), splitter(reasoning, startsInReasoning));
    }

    private static ReasoningSplitter splitter(TurnRequest.ReasoningFormat reasoning, boolean startsInReasoning) {
        return reasoning == TurnRequest.ReasoningFormat.NONE ? null : new ReasoningSplitter(startsInReasoning);
    }
}
