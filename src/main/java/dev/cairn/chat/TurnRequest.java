package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One chat turn as the APIs describe it, before the template.
 *
 * @param tools            functions offered (empty when none)
 * @param toolChoice       never null
 * @param responseFormat   null for free text; otherwise a JSON schema the answer must satisfy ({@code {}} or
 *                         {@code {"type":"object"}} for json_object)
 * @param assistantPrefill text the answer continues ("" when none)
 * @param templateArgs     extra template variables (chat_template_kwargs, enable_thinking, ...)
 * @param reasoning        how thinking is reported
 */
public record TurnRequest(List<ChatMessage> messages, List<ToolSpec> tools, ToolChoice toolChoice,
                          JsonNode responseFormat, String assistantPrefill, Map<String, Object> templateArgs,
                          ReasoningFormat reasoning) {
    /** llama.cpp's --reasoning-format: DEEPSEEK splits thinking out, NONE leaves it inline in the text. */
    public enum ReasoningFormat { DEEPSEEK, NONE }
}
