package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 400 random templates mixing text, blocks, expressions and comments with every whitespace-control marker render
 * exactly as jinja2 does with trim_blocks and lstrip_blocks (templates/whitespace-cases.json, made by
 * templates/render_expectations.py).
 */
class ChatTemplateWhitespaceTest {
    @Test
    void whitespaceControlMatchesJinja2() throws IOException {
        JsonNode root = ChatTemplateConformanceTest.load("whitespace-cases.json");
        List<ChatMessage> messages = ChatTemplateConformanceTest.messages(
                ChatTemplateConformanceTest.load("extra-templates.json").get("feature_messages"));
        @SuppressWarnings("unchecked")
        Map<String, Object> kwargs = new ObjectMapper().convertValue(root.get("kwargs"), Map.class);
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (JsonNode c : root.get("cases")) {
            n++;
            String template = c.get("template").asText();
            String got = ChatTemplates.fromString(template, "", "").render(messages, true, kwargs);
            if (!got.equals(c.get("expected").asText())) {
                mismatches.add(template + "\n  expected " + c.get("expected") + "\n  got      " + got);
            }
        }
        assertThat(n).isEqualTo(400);
        assertThat(mismatches).isEmpty();
    }
}
