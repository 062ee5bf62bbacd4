package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conversations with tools, calls and results render to exactly what python3 jinja2 renders the Hugging Face way
 * (templates/tool-templates.json, made by templates/render_tool_expectations.py), with and without the generation
 * prompt; templates that know no tools get llama.cpp's generic prompt; a template's refusal is the same refusal.
 */
class ChatTemplateToolsConformanceTest {
    record Case(String name, String templateFile, String bos, String eos, List<ChatMessage> messages,
                boolean addGenerationPrompt, JsonNode caps, String expected, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<ToolSpec> TOOLS = tools();

    static Stream<Arguments> cases() throws IOException {
        JsonNode root = ChatTemplateConformanceTest.load("tool-templates.json");
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            JsonNode conversation = root.get("conversations").get(c.get("conversation").asText());
            out.add(new Case(c.get("name").asText(), c.get("template_file").asText(), c.get("bos_token").asText(),
                    c.get("eos_token").asText(), messages(conversation), c.get("add_generation_prompt").asBoolean(),
                    c.get("caps"), c.has("expected") ? c.get("expected").asText() : null,
                    c.has("error") ? c.get("error").asText() : null));
        }
        return out.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersExactly(Case c) {
        JinjaChatTemplate t = new JinjaChatTemplate(ChatTemplateConformanceTest.text(c.templateFile()), c.bos(), c.eos());
        assertThat(t.supportsSystemRole()).as("system role shown").isEqualTo(c.caps().get("system").asBoolean());
        JinjaChatTemplate.ToolSupport support = t.toolSupport();
        assertThat(support).as("what the template shows").isEqualTo(new JinjaChatTemplate.ToolSupport(
                c.caps().get("tools").asBoolean(), c.caps().get("tool_calls").asBoolean(),
                c.caps().get("object_arguments").asBoolean(), c.caps().get("tool_responses").asBoolean(),
                c.caps().get("null_content").asBoolean()));
        Map<String, Object> args = Map.of("date_string", "26 Jul 2024");
        if (c.error() != null) {
            assertThatThrownBy(() -> t.render(c.messages(), TOOLS, c.addGenerationPrompt(), args))
                    .isInstanceOf(TemplateException.class).hasMessageContaining(c.error());
        } else {
            assertThat(t.render(c.messages(), TOOLS, c.addGenerationPrompt(), args)).isEqualTo(c.expected());
        }
    }

    static List<ToolSpec> tools() {
        try {
            List<ToolSpec> out = new ArrayList<>();
            for (JsonNode t : ChatTemplateConformanceTest.load("tool-templates.json").get("tools")) {
                out.add(new ToolSpec(t.get("name").asText(),
                        t.has("description") ? t.get("description").asText() : null, t.get("parameters"), false));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages as an API client gives them: call arguments as JSON text, content null beside calls. */
    static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : array) {
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode c : m.path("tool_calls")) {
                calls.add(new ToolCall(c.get("id").asText(), c.get("function").get("name").asText(),
                        c.get("function").get("arguments").asText()));
            }
            out.add(new ChatMessage(m.get("role").asText(), m.get("content").isNull() ? "" : m.get("content").asText(),
                    calls, text(m, "tool_call_id"), text(m, "name"), text(m, "reasoning_content")));
        }
        return out;
    }

    private static String text(JsonNode m, String field) {
        return m.hasNonNull(field) ? m.get(field).asText() : null;
    }
}
