package dev.cairn.chat;

import java.util.List;
import java.util.Map;

/** Renders a conversation into the exact prompt text a model was trained on. */
public interface ChatTemplate {
    /**
     * The template's own output, as Hugging Face renders it (what {@code cairn template} prints).
     *
     * @param extraArgs extra template variables (e.g. Qwen3's {@code enable_thinking}); may be empty
     * @throws TemplateException for a template error or a template's own {@code raise_exception}
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraArgs);

    /**
     * As {@link #render(List, boolean, Map)} with the functions the model may call, given to the template the way
     * Hugging Face's {@code apply_chat_template(messages, tools=...)} gives them ({@code tools} as
     * {@code [{"type": "function", "function": {...}}]}; assistant {@code tool_calls} with arguments as an object;
     * tool turns with their {@code tool_call_id} and {@code name}).
     *
     * <p>A template that does not show tools ({@link #supportsTools()} false) gets them described in the system
     * prompt in llama.cpp's generic JSON format ({@link GenericToolPrompt#describe} with parallel calls); a caller
     * that wants the single-call wording passes {@code GenericToolPrompt.describe(messages, tools, false)} and no
     * tools instead. Calls and results in the history that the template does not show are given to it as text.
     */
    default String render(List<ChatMessage> messages, List<ToolSpec> tools, boolean addGenerationPrompt,
                          Map<String, Object> extraArgs) {
        List<ChatMessage> effective = tools == null || tools.isEmpty() ? messages
                : GenericToolPrompt.describe(messages, tools, true);
        return render(GenericToolPrompt.historyAsText(effective, true, true), addGenerationPrompt, extraArgs);
    }

    /** Whether the template shows the tools it is given; otherwise render describes them in the system prompt. */
    default boolean supportsTools() {
        return false;
    }

    /** The template's source text, from which its tool-call format is told ("" when it has none). */
    default String source() {
        return "";
    }

    /** Text of the BOS token the template sees as {@code bos_token} ("" when none). */
    default String bosToken() {
        return "";
    }

    /** Text of the EOS token the template sees as {@code eos_token} ("" when none). */
    default String eosToken() {
        return "";
    }

    /**
     * The prompt to hand to a tokenizer that adds BOS by itself: {@link #render} without a leading BOS text and
     * without a trailing EOS text, as llama.cpp does, so BOS is not doubled and the prompt does not end the sequence.
     */
    default String renderForTokenizer(List<ChatMessage> messages, boolean addGenerationPrompt,
                                      Map<String, Object> extraArgs) {
        return renderForTokenizer(messages, List.of(), addGenerationPrompt, extraArgs);
    }

    /** {@link #renderForTokenizer(List, boolean, Map)} with tools, rendered as {@link #render(List, List, boolean, Map)}. */
    default String renderForTokenizer(List<ChatMessage> messages, List<ToolSpec> tools, boolean addGenerationPrompt,
                                      Map<String, Object> extraArgs) {
        String prompt = render(messages, tools, addGenerationPrompt, extraArgs);
        String bos = bosToken();
        String eos = eosToken();
        if (!bos.isEmpty() && prompt.startsWith(bos)) {
            prompt = prompt.substring(bos.length());
        }
        if (!eos.isEmpty() && prompt.endsWith(eos)) {
            prompt = prompt.substring(0, prompt.length() - eos.length());
        }
        return prompt;
    }
}
