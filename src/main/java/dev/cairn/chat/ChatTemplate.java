package dev.cairn.chat;

import java.util.List;
import java.util.Map;

/** Renders a conversation into the exact prompt text a model was trained on. */
public interface ChatTemplate {
    /**
     * @param extraArgs extra template variables (e.g. Qwen3's {@code enable_thinking}); may be empty
     * @throws TemplateException for a template error or a template's own {@code raise_exception}
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraArgs);
}
