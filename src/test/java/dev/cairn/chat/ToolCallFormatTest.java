package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The format and thinking of each real template under src/test/resources/templates. */
class ToolCallFormatTest {
    @ParameterizedTest
    @CsvSource({
            "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja, HERMES, false",
            "NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja, HERMES, false",
            "Qwen-Qwen2.5-7B-Instruct.jinja, HERMES, false",
            "Qwen-Qwen3-8B.jinja, HERMES, true",
            "Qwen-Qwen3-Coder-30B-A3B-Instruct.jinja, QWEN3_CODER, false",
            "meta-llama-Llama-3.1-8B-Instruct.jinja, LLAMA3_JSON, false",
            "meta-llama-Llama-3.2-3B-Instruct.jinja, LLAMA3_JSON, false",
            "meta-llama-Llama-3.3-70B-Instruct.jinja, LLAMA3_JSON, false",
            "mistralai-Mistral-Nemo-Instruct-2407.jinja, MISTRAL_NEMO, false",
            "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja, GENERIC, true",
            "deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja, GENERIC, true",
            "llama-cpp-deepseek-r1.jinja, GENERIC, true",
            "meetkai-functionary-medium-v3.1.jinja, GENERIC, false",
            "meetkai-functionary-medium-v3.2.jinja, GENERIC, false",
            "google-gemma-2-2b-it.jinja, GENERIC, false",
            "microsoft-Phi-3.5-mini-instruct.jinja, GENERIC, false",
            "HuggingFaceTB-SmolLM2-1.7B-Instruct.jinja, GENERIC, false",
            "CohereForAI-c4ai-command-r-plus-tool_use.jinja, GENERIC, false",
    })
    void detectsTheFormatOfARealTemplate(String file, ToolCallFormat format, boolean thinks) throws IOException {
        String source = Files.readString(Path.of("src/test/resources/templates", file));
        assertThat(ToolCallFormat.detect(source)).isEqualTo(format);
        assertThat(ToolCallFormat.thinks(source)).isEqualTo(thinks);
    }
}
