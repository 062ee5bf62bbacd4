package dev.cairn.chat;

import java.util.List;
import java.util.Map;

/**
 * Stands in for a model's chat template that cannot be parsed: the model still loads (raw-prompt completions work)
 * and every chat render fails with the parse error, which the server reports as a client error.
 */
record UnusableChatTemplate(String reason, String bosToken, String eosToken) implements ChatTemplate {
    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraArgs) {
        throw new TemplateException("the model's chat template cannot be used: " + reason);
    }
}
