package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.engine.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parses and checks Anthropic Messages API bodies. */
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
        f.emptyArrayOnly("tools", "is not supported yet: this server cannot call tools");
        if (f.has("tool_choice")) {
            throw ApiException.badParam("tool_choice", "'tool_choice' is not supported yet: this server cannot call tools");
        }
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
        for (int i = 0; i < list.size(); i++) {
            messages.add(message(list.get(i), i));
        }
        String prefill = "";
        if (list.size() > 1 && messages.getLast().role().equals("assistant")) {
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
        return new ApiRequest(Endpoint.MESSAGES, messages, prefill, null, null, Map.of(), sampling,
                maxTokens.intValue(), stop, stream, false, mode, false);
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
            String text = textBlocks(system, "system");
            return text.isEmpty() ? null : text;
        }
        throw f.wrongType("system", "a string or an array of text blocks", system);
    }

    private static ChatMessage message(JsonNode node, int i) {
        String where = "messages." + i;
        if (!node.isObject()) {
            throw ApiException.badParam(where, "'" + where + "' must be an object, got " + Fields.kind(node));
        }
        Fields m = new Fields((ObjectNode) node, where + ".");
        String role = m.requireString("role");
        if (!role.equals("user") && !role.equals("assistant")) {
            throw ApiException.badParam(where + ".role",
                    "'" + where + ".role' must be \"user\" or \"assistant\", got \"" + role + "\"");
        }
        JsonNode content = m.require("content");
        String text;
        if (content.isTextual()) {
            text = content.textValue();
        } else if (content.isArray()) {
            text = textBlocks(content, where + ".content");
        } else {
            throw m.wrongType("content", "a string or an array of content blocks", content);
        }
        return new ChatMessage(role, text);
    }

    private static String textBlocks(JsonNode blocks, String where) {
        return TextParts.join(blocks, j -> where + "." + j, "only text blocks are");
    }
}
