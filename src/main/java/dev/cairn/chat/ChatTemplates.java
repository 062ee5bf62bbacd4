package dev.cairn.chat;

import dev.cairn.gguf.GgufFile;
import java.util.Arrays;
import java.util.List;

/**
 * Picks the chat template for a model.
 *
 * <p>A GGUF's own {@code tokenizer.chat_template} is used when present, with {@code bos_token}/{@code eos_token} set
 * to the text of the vocabulary's BOS/EOS tokens ({@code tokenizer.ggml.tokens[tokenizer.ggml.bos_token_id]}).
 *
 * <p>Fallback when the model has no template:
 * <ul>
 *   <li>ChatML ({@code <|im_start|>role\ncontent<|im_end|>\n}, generation prompt {@code <|im_start|>assistant\n})
 *       when the vocabulary has both {@code <|im_start|>} and {@code <|im_end|>} tokens;</li>
 *   <li>otherwise plain text turns, one per line: {@code System: ...}, {@code User: ...}, {@code Assistant: ...}, and
 *       a final {@code Assistant:} as the generation prompt. Tiny models without special tokens would spend their
 *       short context on markup they never saw, and markup in plain text is tokenized into many pieces.</li>
 * </ul>
 * A model template that cannot be parsed does not stop the model from loading: rendering it fails with the parse
 * error (a {@link TemplateException}) instead, so raw-prompt completions still work.
 */
public final class ChatTemplates {
    /** ChatML, as llama.cpp's "chatml" template renders it. */
    public static final String CHATML = """
            {% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}\
            {% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}""";

    /** Plain text turns: "System: ...\nUser: ...\nAssistant:". */
    public static final String PLAIN_TEXT = """
            {% for message in messages %}{{ message['role'] | capitalize }}: {{ message['content'] }}{{ '\\n' }}{% endfor %}\
            {% if add_generation_prompt %}Assistant:{% endif %}""";

    private ChatTemplates() {
    }

    /** The model's template, or the documented fallback (see class comment). */
    public static ChatTemplate forGguf(GgufFile gguf) {
        String[] tokens = gguf.getStringArray("tokenizer.ggml.tokens");
        String bos = tokenText(tokens, gguf.getLong("tokenizer.ggml.bos_token_id", -1));
        String eos = tokenText(tokens, gguf.getLong("tokenizer.ggml.eos_token_id", -1));
        String template = gguf.getString("tokenizer.chat_template");
        if (template != null && !template.isBlank()) {
            try {
                return fromString(template, bos, eos);
            } catch (TemplateException e) {
                // Keep the model usable for raw prompts; chat requests get this error.
                return new UnusableChatTemplate(e.getMessage(), bos, eos);
            }
        }
        return fromString(fallbackFor(tokens), bos, eos);
    }

    /** The template text a model without its own template gets, chosen from its vocabulary. */
    public static String fallbackFor(String[] vocabulary) {
        List<String> vocab = vocabulary == null ? List.of() : Arrays.asList(vocabulary);
        return vocab.contains("<|im_start|>") && vocab.contains("<|im_end|>") ? CHATML : PLAIN_TEXT;
    }

    /** A template from its Jinja text; a syntax error is a {@link TemplateException}. */
    public static ChatTemplate fromString(String template, String bos, String eos) {
        return new JinjaChatTemplate(template, bos, eos);
    }

    private static String tokenText(String[] tokens, long id) {
        return tokens != null && id >= 0 && id < tokens.length ? tokens[(int) id] : "";
    }
}
