package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenericToolPromptTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ToolSpec tool() throws Exception {
        return new ToolSpec("add", null, JSON.readTree("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}"),
                false);
    }

    @Test
    void singleCallWordingAskedForOneToolCallObjectAndKeepsTheSystemPrompt() throws Exception {
        List<ChatMessage> out = GenericToolPrompt.describe(
                List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "2+2?")), List.of(tool()), false);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).content()).isEqualTo("Be brief.\n\n" + GenericToolPrompt.INSTRUCTION
                + "\n\nYou can call any of the following tools to satisfy the user's requests: [\n"
                + "  {\n    \"type\": \"function\",\n    \"function\": {\n      \"name\": \"add\",\n"
                + "      \"description\": \"\",\n      \"parameters\": {\n        \"type\": \"object\",\n"
                + "        \"properties\": {\n          \"a\": {\n            \"type\": \"integer\"\n          }\n"
                + "        }\n      }\n    }\n  }\n]\n\nExample tool call syntax:\n\n{\n  \"tool_call\": {\n"
                + "    \"name\": \"tool_name\",\n    \"arguments\": {\n      \"arg1\": \"some_value\"\n    }\n  }\n}\n\n");
        assertThat(out.get(1)).isEqualTo(new ChatMessage("user", "2+2?"));
    }

    @Test
    void withoutASystemMessageOneIsAddedFirst() throws Exception {
        List<ChatMessage> out = GenericToolPrompt.describe(List.of(new ChatMessage("user", "hi")), List.of(tool()), true);
        assertThat(out.get(0).role()).isEqualTo("system");
        assertThat(out.get(0).content()).startsWith(GenericToolPrompt.INSTRUCTION + "\n\n")
                .contains("\"tool_calls\": [\n    {\n      \"name\": \"tool_name\"").contains("\"id\": \"call_1___\"");
        assertThat(out.get(1)).isEqualTo(new ChatMessage("user", "hi"));
    }

    @Test
    void callsAndResultsInHistoryBecomeJsonTextForTemplatesThatShowNeither() {
        ChatMessage call = new ChatMessage("assistant", "Checking.", List.of(new ToolCall("c1", "add", "{\"a\":2}")),
                null, null, null);
        ChatMessage result = new ChatMessage("tool", "4", List.of(), "c1", "add", null);
        List<ChatMessage> out = GenericToolPrompt.historyAsText(List.of(call, result), true, true);
        assertThat(out.get(0)).isEqualTo(new ChatMessage("assistant", "{\n  \"tool_calls\": [\n    {\n"
                + "      \"name\": \"add\",\n      \"arguments\": {\n        \"a\": 2\n      },\n      \"id\": \"c1\"\n"
                + "    }\n  ],\n  \"content\": \"Checking.\"\n}"));
        assertThat(out.get(1)).isEqualTo(new ChatMessage("user", "{\n  \"tool_response\": {\n    \"tool\": \"add\",\n"
                + "    \"content\": \"4\",\n    \"tool_call_id\": \"c1\"\n  }\n}"));
    }

    @Test
    void aTemplateWithoutToolsRendersTheDescriptionAndTheHistoryAsText() {
        ChatTemplate t = ChatTemplates.fromString(ChatTemplates.CHATML, "", "");
        assertThat(t.supportsTools()).isFalse();
        ChatMessage call = new ChatMessage("assistant", "", List.of(new ToolCall("c1", "add", "{\"a\":2}")),
                null, null, null);
        String prompt = t.render(List.of(new ChatMessage("user", "2+2?"), call,
                new ChatMessage("tool", "4", List.of(), "c1", null, null)), List.of(), true, Map.of());
        assertThat(prompt).isEqualTo("<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n{\n  \"tool_calls\": [\n"
                + "    {\n      \"name\": \"add\",\n      \"arguments\": {\n        \"a\": 2\n      },\n"
                + "      \"id\": \"c1\"\n    }\n  ]\n}<|im_end|>\n<|im_start|>user\n{\n  \"tool_response\": {\n"
                + "    \"content\": \"4\",\n    \"tool_call_id\": \"c1\"\n  }\n}<|im_end|>\n<|im_start|>assistant\n");
    }
}
