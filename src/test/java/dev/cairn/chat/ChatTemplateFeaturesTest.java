package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One small template per Jinja feature templates rely on (Python string methods, slices, dict methods, tojson,
 * namespace, loop variables and controls, loop filters, tests, whitespace control, operator precedence, escapes,
 * macros, filters), each rendered exactly as python3's jinja2 renders it in Hugging Face's setup
 * (templates/extra-templates.json "features", made by templates/render_expectations.py).
 */
class ChatTemplateFeaturesTest {
    record Feature(String name, String template, Map<String, Object> kwargs, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<ChatMessage> messages;

    static Stream<Arguments> features() throws IOException {
        JsonNode root = ChatTemplateConformanceTest.load("extra-templates.json");
        messages = ChatTemplateConformanceTest.messages(root.get("feature_messages"));
        List<Feature> out = new ArrayList<>();
        for (JsonNode f : root.get("features")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> kwargs = new ObjectMapper().convertValue(f.get("kwargs"), Map.class);
            out.add(new Feature(f.get("name").asText(), f.get("template").asText(), kwargs, f.get("expected").asText()));
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(17);
        return out.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void rendersLikeJinja2(Feature f) {
        ChatTemplate t = ChatTemplates.fromString(f.template(), "<s>", "</s>");
        assertThat(t.render(messages, true, f.kwargs())).isEqualTo(f.expected());
    }
}
