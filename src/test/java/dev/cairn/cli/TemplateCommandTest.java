package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.gguf.GgufArray;
import dev.cairn.gguf.GgufValueType;
import dev.cairn.gguf.GgufWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCommandTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/templates/" + name)) {
            return Files.write(dir.resolve(name), in.readAllBytes());
        }
    }

    private static final String MESSAGES = """
            [{"role": "system", "content": "You are a helpful assistant"},
             {"role": "user", "content": [{"type": "text", "text": "Hello"}, {"type": "text", "text": "wörld"}]}]
            """;

    @Test
    void printsExactlyTheRenderedPromptOfATemplateFile() throws IOException {
        Path messages = write("m.json", MESSAGES);
        CliCapture r = CliCapture.run("template", "--template", resource("Qwen-Qwen3-8B.jinja").toString(), "--messages", messages.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                <|im_start|>system
                You are a helpful assistant<|im_end|>
                <|im_start|>user
                Hello
                wörld<|im_end|>
                <|im_start|>assistant
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void toolsAndToolHistoryRenderAsPythonJinja2Does() throws IOException {
        // The messages and tools of a case of tool-templates.json, as files an API client would write.
        JsonNode cases = new ObjectMapper().readTree(resource("tool-templates.json").toFile());
        Path messages = write("m.json", cases.get("conversations").get("after one call").toString());
        Path tools = write("t.json", cases.get("tools").toString());
        String expected = null;
        for (JsonNode c : cases.get("cases")) {
            if (c.get("name").asText().equals("Qwen-Qwen2.5-7B-Instruct: after one call (add_generation_prompt)")) {
                expected = c.get("expected").asText();
            }
        }
        CliCapture r = CliCapture.run("template", "--template", resource("Qwen-Qwen2.5-7B-Instruct.jinja").toString(),
                "--messages", messages.toString(), "--tools", tools.toString());
        assertThat(r.err()).isEmpty();
        assertThat(expected).contains("<tools>", "<tool_call>", "<tool_response>");
        assertThat(r.out()).isEqualTo(expected);
    }

    @Test
    void kwargsAndNoGenerationPrompt() throws IOException {
        Path messages = write("m.json", MESSAGES);
        String template = resource("Qwen-Qwen3-8B.jinja").toString();
        CliCapture thinkingOff = CliCapture.run("template", "--template", template, "--messages", messages.toString(),
                "--kwargs", "{\"enable_thinking\": false}");
        assertThat(thinkingOff.out()).endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n");
        CliCapture noPrompt = CliCapture.run("template", "--template", template, "--messages", messages.toString(), "--no-generation-prompt");
        assertThat(noPrompt.out()).endsWith("wörld<|im_end|>\n");
    }

    @Test
    void bosAndEosTokensForATemplateFile() throws IOException {
        Path messages = write("m.json", "[{\"role\": \"user\", \"content\": \"Hi\"}]");
        Path template = write("t.jinja", "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}");
        CliCapture r = CliCapture.run("template", "--template", template.toString(), "--bos-token", "<s>", "--eos-token", "</s>",
                "--messages", messages.toString());
        assertThat(r.out()).isEqualTo("<s>Hi</s>");
    }

    @Test
    void modelWithoutTemplateGetsThePlainTextFallback() throws IOException {
        Path model = dir.resolve("tiny.gguf");
        try (GgufWriter w = GgufWriter.create(model)) {
            w.putString("general.architecture", "llama");
            w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, new String[] {"<unk>", "<s>", "</s>"}));
            w.putUInt32("tokenizer.ggml.bos_token_id", 1);
        }
        Path messages = write("m.json", MESSAGES);
        CliCapture r = CliCapture.run("template", "--model", model.toString(), "--messages", messages.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("System: You are a helpful assistant\nUser: Hello\nwörld\nAssistant:");
    }

    @Test
    void clearErrorsWithExitCodeOne() throws IOException {
        Path messages = write("m.json", MESSAGES);
        Path template = resource("google-gemma-2-2b-it.jinja");

        CliCapture neither = CliCapture.run("template", "--messages", messages.toString());
        assertThat(neither.exitCode()).isEqualTo(1);
        assertThat(neither.err()).contains("exactly one of --model");

        CliCapture both = CliCapture.run("template", "--model", "x.gguf", "--template", template.toString(), "--messages", messages.toString());
        assertThat(both.exitCode()).isEqualTo(1);

        CliCapture noMessages = CliCapture.run("template", "--template", template.toString());
        assertThat(noMessages.exitCode()).isEqualTo(1);
        assertThat(noMessages.err()).contains("--messages");

        CliCapture missing = CliCapture.run("template", "--template", dir.resolve("nope.jinja").toString(), "--messages", messages.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.jinja").contains("does not exist");

        CliCapture badJson = CliCapture.run("template", "--template", template.toString(), "--messages", write("bad.json", "[{").toString());
        assertThat(badJson.exitCode()).isEqualTo(1);
        assertThat(badJson.err()).contains("not valid JSON");

        CliCapture noRole = CliCapture.run("template", "--template", template.toString(), "--messages", write("r.json", "[{\"content\": \"x\"}]").toString());
        assertThat(noRole.exitCode()).isEqualTo(1);
        assertThat(noRole.err()).contains("message 1").contains("role");

        CliCapture badCall = CliCapture.run("template", "--template", template.toString(), "--messages",
                write("c.json", "[{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"x\"}]}]").toString());
        assertThat(badCall.exitCode()).isEqualTo(1);
        assertThat(badCall.err()).contains("message 1").contains("\"function\"");

        CliCapture badTools = CliCapture.run("template", "--template", template.toString(), "--messages",
                messages.toString(), "--tools", write("t.json", "[{\"type\": \"function\", \"function\": {}}]").toString());
        assertThat(badTools.exitCode()).isEqualTo(1);
        assertThat(badTools.err()).contains("tool 1").contains("name");

        CliCapture image = CliCapture.run("template", "--template", template.toString(), "--messages",
                write("i.json", "[{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]").toString());
        assertThat(image.exitCode()).isEqualTo(1);
        assertThat(image.err()).contains("image_url");

        CliCapture raised = CliCapture.run("template", "--template", template.toString(), "--messages",
                write("alt.json", "[{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": \"b\"}]").toString());
        assertThat(raised.exitCode()).isEqualTo(1);
        assertThat(raised.err()).contains("Conversation roles must alternate user/assistant/user/assistant/...");

        CliCapture badModel = CliCapture.run("template", "--model", write("fake.gguf", "not a gguf").toString(), "--messages", messages.toString());
        assertThat(badModel.exitCode()).isEqualTo(1);
        assertThat(badModel.err()).contains("not a GGUF file");

        CliCapture badKwargs = CliCapture.run("template", "--template", template.toString(), "--messages", messages.toString(), "--kwargs", "[1]");
        assertThat(badKwargs.exitCode()).isEqualTo(1);
        assertThat(badKwargs.err()).contains("JSON object");

        for (CliCapture r : new CliCapture[] {neither, missing, badJson, raised, badModel}) {
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(r.out()).isEmpty();
        }
    }
}
