package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every required case of templates/chat-templates.json (llama.cpp's test cases and Hugging Face renderings of real
 * model templates, copied from ../shared/templates) and the Qwen3/SmolLM2 renderings made with python3's jinja2
 * (templates/extra-templates.json, produced by templates/render_expectations.py) render to exactly the expected prompt.
 */
class ChatTemplateConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param llamaCpp expected is llama.cpp's prompt, which drops a leading BOS and a trailing EOS text */
    record Case(String name, String template, String bos, String eos, List<ChatMessage> messages,
                boolean addGenerationPrompt, Map<String, Object> extraArgs, String expected, boolean llamaCpp) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> requiredCases() throws IOException {
        JsonNode root = load("chat-templates.json");
        List<ChatMessage> conversation = messages(root.get("conversation"));
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            if (!c.get("required").asBoolean()) {
                continue;
            }
            out.add(new Case("llama.cpp: " + c.get("name").asText(), c.get("template").asText(),
                    c.get("bos_token").asText(), c.get("eos_token").asText(), conversation,
                    c.get("add_generation_prompt").asBoolean(), Map.of(), c.get("expected").asText(), true));
        }
        for (JsonNode c : root.get("real")) {
            List<ChatMessage> msgs = switch (c.get("messages").asText()) {
                case "with system" -> conversation;
                case "without system" -> conversation.subList(1, conversation.size());
                default -> throw new IllegalStateException("unknown messages kind in " + c);
            };
            out.add(new Case("HF: " + c.get("name").asText(), text(c.get("template_file").asText()),
                    c.get("bos_token").asText(), c.get("eos_token").asText(), msgs,
                    c.get("add_generation_prompt").asBoolean(), Map.of("date_string", "26 Jul 2024"),
                    c.get("expected").asText(), false));
        }
        for (JsonNode c : load("extra-templates.json").get("cases")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> kwargs = JSON.convertValue(c.get("kwargs"), Map.class);
            out.add(new Case("jinja2: " + c.get("name").asText(), text(c.get("template_file").asText()),
                    c.get("bos_token").asText(), c.get("eos_token").asText(), messages(c.get("messages")),
                    c.get("add_generation_prompt").asBoolean(), kwargs, c.get("expected").asText(), false));
        }
        return out.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredCases")
    void rendersExactly(Case c) {
        ChatTemplate t = ChatTemplates.fromString(c.template(), c.bos(), c.eos());
        String prompt = c.llamaCpp()
                ? t.renderForTokenizer(c.messages(), c.addGenerationPrompt(), c.extraArgs())
                : t.render(c.messages(), c.addGenerationPrompt(), c.extraArgs());
        assertThat(prompt).isEqualTo(c.expected());
    }

    static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : array) {
            out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        return out;
    }

    static JsonNode load(String name) throws IOException {
        return JSON.readTree(text(name));
    }

    static String text(String name) {
        try (InputStream in = ChatTemplateConformanceTest.class.getResourceAsStream("/templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource templates/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
