package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.ToolSpec;
import dev.cairn.chat.TurnRequest;
import dev.cairn.engine.SamplingParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and checks Anthropic Messages API bodies. Fields cairn does not act on (metadata, context_management,
 * output_config, service_tier, cache_control on blocks and tools, the anthropic-beta header, ?beta=true) are accepted
 * and ignored.
 */
final class AnthropicRequests {
    private AnthropicRequests() {
    }

    static ApiRequest messages(ObjectNode body, String progressHeader) {
        Fields f = new Fields(body);
        f.string("model");
        Long maxTokens = f.integer("max_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null) {
            throw ApiException.badParam("max_tokens", "'max_tokens' is required");
        }
        List<ToolSpec> tools = tools(f);
        ToolChoice choice = choice(f, tools);
        List<ChatMessage> messages = new ArrayList<>();
        String system = system(f);
        if (system != null) {
            messages.add(new ChatMessage("system", system));
        }
        JsonNode list = f.require("messages");
        if (!list.isArray()) {
            throw f.wrongType("messages", "an array", list);
        }
        if (list.isEmpty()) {
            throw ApiException.badParam("messages", "'messages' must contain at least one message");
        }
        messages.addAll(AnthropicMessages.parse(list));
        String prefill = "";
        ChatMessage last = messages.getLast();
        if (list.size() > 1 && last.role().equals("assistant") && last.toolCalls().isEmpty()) {
            // Anthropic lets a final assistant turn pre-fill the start of the answer.
            prefill = messages.removeLast().content();
        }
        SamplingParams d = SamplingParams.defaults();
        Double temperature = f.number("temperature", 0, 1);
        Double topP = f.number("top_p", 0, 1);
        Long topK = f.integer("top_k", 0, Integer.MAX_VALUE);
        SamplingParams sampling = new SamplingParams(
                temperature == null ? d.temperature() : temperature.floatValue(),
                topK == null ? d.topK() : topK.intValue(),
                topP == null ? d.topP() : topP.floatValue(),
                d.minP(), d.repeatPenalty(), d.repeatLastN(), d.frequencyPenalty(), d.presencePenalty(), null);
        List<String> stop = f.stringArray("stop_sequences");
        boolean stream = f.bool("stream", false);
        ApiRequest.ProgressMode mode = ApiRequest.ProgressMode.parse(f.string("prefill_progress"), progressHeader);
        TurnRequest turn = new TurnRequest(messages, tools, choice, null, prefill, templateArgs(f),
                TurnRequest.ReasoningFormat.DEEPSEEK);
        return new ApiRequest(Endpoint.MESSAGES, turn, null, null, sampling, maxTokens.intValue(), stop, stream,
                false, mode, false);
    }

    /**
     * Client tools (no type, or "custom") with their input_schema. Anthropic's server tools (web_search_…, bash_…,
     * text_editor_…, each with a dated type and no schema) are run by Anthropic, not by the client, and cairn has
     * none: they are left out, so the model is not offered them, instead of failing the whole request.
     */
    private static List<ToolSpec> tools(Fields f) {
        List<ToolSpec> tools = new ArrayList<>();
        for (Fields t : f.objects("tools", i -> "tools." + i)) {
            String where = t.where();
            String type = t.string("type");
            if (type != null && !type.equals("custom")) {
                continue;
            }
            String name = t.requireString("name");
            if (name.isEmpty()) {
                throw ApiException.badParam(where + ".name", "'" + where + ".name' must not be empty");
            }
            t.require("input_schema");
            tools.add(new ToolSpec(name, t.string("description"), ToolRequests.parameters(t, "input_schema"),
                    t.bool("strict", false)));
        }
        ToolRequests.checkUniqueNames(tools, "tools");
        return tools;
    }

    /** tool_choice {"type": "auto" | "any" | "tool" (with "name") | "none", "disable_parallel_tool_use"}. */
    private static ToolChoice choice(Fields f, List<ToolSpec> tools) {
        ObjectNode node = f.object("tool_choice");
        if (node == null) {
            return new ToolChoice(tools.isEmpty() ? ToolChoice.Mode.NONE : ToolChoice.Mode.AUTO, null, true);
        }
        Fields c = new Fields(node, "tool_choice.");
        String type = c.requireString("type");
        boolean parallel = !c.bool("disable_parallel_tool_use", false);
        ToolChoice choice = switch (type) {
            case "auto" -> new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
            case "any" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null, parallel);
            case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null, parallel);
            case "tool" -> ToolRequests.named(c.requireString("name"), parallel, tools, "tool_choice.name");
            default -> throw ApiException.badParam("tool_choice.type", "'tool_choice.type' must be \"auto\", \"any\","
                    + " \"tool\" or \"none\", got \"" + type + "\"");
        };
        ToolRequests.requireTools(choice, tools, "tool_choice");
        return choice;
    }

    /**
     * The template's variables: chat_template_kwargs (as llama.cpp takes them here too), and {@code thinking}
     * {type: enabled|adaptive|disabled} as the template's {@code enable_thinking}. Whatever the model thinks is
     * answered as thinking blocks, as llama.cpp does, whether or not the request enabled thinking.
     */
    private static Map<String, Object> templateArgs(Fields f) {
        Map<String, Object> args = new LinkedHashMap<>(OpenAiRequests.templateArgs(f));
        ObjectNode thinking = f.object("thinking");
        if (thinking != null) {
            Fields t = new Fields(thinking, "thinking.");
            String type = t.requireString("type");
            switch (type) {
                case "enabled", "adaptive" -> {
                    t.integer("budget_tokens", 0, Integer.MAX_VALUE);
                    args.putIfAbsent("enable_thinking", true);
                }
                case "disabled" -> args.putIfAbsent("enable_thinking", false);
                default -> throw ApiException.badParam("thinking.type", "'thinking.type' must be \"enabled\","
                        + " \"adaptive\" or \"disabled\", got \"" + type + "\"");
            }
        }
        return args;
    }

    private static String system(Fields f) {
        JsonNode system = f.node("system");
        if (system == null) {
            return null;
        }
        if (system.isTextual()) {
            return system.textValue().isEmpty() ? null : system.textValue();
        }
        if (system.isArray()) {
            String text = TextParts.join(system, j -> "system." + j, "only text blocks are");
            return text.isEmpty() ? null : text;
        }
        throw f.wrongType("system", "a string or an array of text blocks", system);
    }
}
