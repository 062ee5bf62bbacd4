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
     * tool turns with their {@code tool_call_id} and {@code name}). SKELETON: the templates helper fills it in.
     */
    default String render(List<ChatMessage> messages, List<ToolSpec> tools, boolean addGenerationPrompt,
                          Map<String, Object> extraArgs) {
        if (tools == null || tools.isEmpty()) {
            return render(messages, addGenerationPrompt, extraArgs);
        }
        throw new UnsupportedOperationException("not yet");
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
        String prompt = render(messages, addGenerationPrompt, extraArgs);
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
