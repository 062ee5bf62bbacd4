package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.ToolSpec;
import dev.cairn.chat.TurnRequest;
import dev.cairn.engine.SamplingParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and checks OpenAI chat-completion and completion bodies. */
final class OpenAiRequests {
    private OpenAiRequests() {
    }

    static ApiRequest chat(ObjectNode body, String progressHeader) {
        Fields f = new Fields(body);
        f.string("model");
        rejectUnsupported(f);
        if (f.has("functions") || f.has("function_call")) {
            throw ApiException.badParam("functions", "'functions' and 'function_call' (the deprecated function-calling"
                    + " API) are not supported; send 'tools' and 'tool_choice'");
        }
        List<ToolSpec> tools = OpenAiTools.tools(f);
        ToolChoice choice = OpenAiTools.choice(f, tools);
        JsonNode format = OpenAiTools.responseFormat(f);
        JsonNode messagesNode = f.require("messages");
        if (!messagesNode.isArray()) {
            throw f.wrongType("messages", "an array", messagesNode);
        }
        if (messagesNode.isEmpty()) {
            throw ApiException.badParam("messages", "'messages' must contain at least one message");
        }
        List<ChatMessage> messages = OpenAiMessages.parse(messagesNode);
        String prefill = "";
        ChatMessage last = messages.getLast();
        if (messages.size() > 1 && last.role().equals("assistant") && last.toolCalls().isEmpty()) {
            prefill = messages.removeLast().content();
        }
        Long maxTokens = f.integer("max_completion_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null) {
            maxTokens = f.integer("max_tokens", 1, Integer.MAX_VALUE);
        }
        TurnRequest turn = new TurnRequest(messages, tools, choice, format, prefill, templateArgs(f), reasoningFormat(f));
        return finish(f, Endpoint.CHAT, turn, null, null, maxTokens, progressHeader);
    }

    /** llama.cpp's per-request "reasoning_format": "none" leaves thinking inline in the content. */
    private static TurnRequest.ReasoningFormat reasoningFormat(Fields f) {
        String v = f.string("reasoning_format");
        if (v == null) {
            return TurnRequest.ReasoningFormat.DEEPSEEK;
        }
        return switch (v) {
            case "none" -> TurnRequest.ReasoningFormat.NONE;
            case "auto", "deepseek", "deepseek-legacy" -> TurnRequest.ReasoningFormat.DEEPSEEK;
            default -> throw ApiException.badParam("reasoning_format",
                    "'reasoning_format' must be \"none\", \"auto\" or \"deepseek\", got \"" + v + "\"");
        };
    }

    static ApiRequest completion(ObjectNode body, String progressHeader) {
        Fields f = new Fields(body);
        f.string("model");
        rejectUnsupported(f);
        if (f.bool("echo", false)) {
            throw ApiException.badParam("echo", "'echo' is not supported");
        }
        if (f.has("suffix")) {
            throw ApiException.badParam("suffix", "'suffix' (fill-in-the-middle) is not supported");
        }
        Long bestOf = f.integer("best_of", 1, Integer.MAX_VALUE);
        if (bestOf != null && bestOf != 1) {
            throw ApiException.badParam("best_of", "'best_of' must be 1: only one completion per request is supported");
        }
        JsonNode prompt = f.require("prompt");
        String text = null;
        int[] ids = null;
        if (prompt.isTextual()) {
            text = prompt.textValue();
        } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isTextual()) {
            if (prompt.size() != 1) {
                throw ApiException.badParam("prompt", "'prompt' with several prompts is not supported; send one per request");
            }
            text = prompt.get(0).textValue();
        } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isArray()) {
            if (prompt.size() != 1) {
                throw ApiException.badParam("prompt", "'prompt' with several prompts is not supported; send one per request");
            }
            ids = tokenIds(prompt.get(0));
        } else if (prompt.isArray() && !prompt.isEmpty()) {
            ids = tokenIds(prompt);
        } else {
            throw ApiException.badParam("prompt", "'prompt' must be a non-empty string, array of strings or array of token ids, got "
                    + (prompt.isArray() ? "an empty array" : Fields.kind(prompt)));
        }
        if (text != null && text.isEmpty()) {
            throw ApiException.badParam("prompt", "'prompt' must not be empty");
        }
        Long maxTokens = f.integer("max_tokens", 1, Integer.MAX_VALUE);
        return finish(f, Endpoint.COMPLETION, null, text, ids, maxTokens, progressHeader);
    }

    private static int[] tokenIds(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode e = array.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 0) {
                throw ApiException.badParam("prompt", "'prompt[" + i + "]' must be a token id (a non-negative integer), got "
                        + Fields.kind(e));
            }
            ids[i] = e.intValue();
        }
        return ids;
    }

    private static void rejectUnsupported(Fields f) {
        Long n = f.integer("n", 1, Integer.MAX_VALUE);
        if (n != null && n != 1) {
            throw ApiException.badParam("n", "'n' must be 1: only one choice per request is supported, got " + n);
        }
        if (f.has("logprobs") && !(f.node("logprobs").isBoolean() && !f.node("logprobs").booleanValue())) {
            throw ApiException.badParam("logprobs", "'logprobs' is not supported");
        }
        if (f.has("top_logprobs")) {
            throw ApiException.badParam("top_logprobs", "'top_logprobs' is not supported");
        }
    }

    private static ApiRequest finish(Fields f, Endpoint endpoint, TurnRequest turn, String text, int[] ids,
                                     Long maxTokens, String progressHeader) {
        SamplingParams sampling = sampling(f);
        List<String> stop = f.stringOrStrings("stop");
        boolean stream = f.bool("stream", false);
        ObjectNode streamOptions = f.object("stream_options");
        boolean includeUsage = streamOptions != null
                && new Fields(streamOptions, "stream_options.").bool("include_usage", false);
        ApiRequest.ProgressMode mode = ApiRequest.ProgressMode.parse(f.string("prefill_progress"), progressHeader);
        boolean returnProgress = f.bool("return_progress", false);
        return new ApiRequest(endpoint, turn, text, ids, sampling,
                maxTokens == null ? null : maxTokens.intValue(), stop, stream, includeUsage, mode, returnProgress);
    }

    /** The OpenAI sampling fields (with llama.cpp's top_k, min_p, repeat_penalty); absent ones keep the defaults. */
    static SamplingParams sampling(Fields f) {
        SamplingParams d = SamplingParams.defaults();
        Double temperature = f.number("temperature", 0, 2);
        Double topP = f.number("top_p", 0, 1);
        Long topK = f.integer("top_k", 0, Integer.MAX_VALUE);
        Double minP = f.number("min_p", 0, 1);
        Double repeat = f.number("repeat_penalty", 0, 10);
        Double presence = f.number("presence_penalty", -2, 2);
        Double frequency = f.number("frequency_penalty", -2, 2);
        Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        return new SamplingParams(
                temperature == null ? d.temperature() : temperature.floatValue(),
                topK == null ? d.topK() : topK.intValue(),
                topP == null ? d.topP() : topP.floatValue(),
                minP == null ? d.minP() : minP.floatValue(),
                repeat == null ? d.repeatPenalty() : repeat.floatValue(),
                d.repeatLastN(),
                frequency == null ? d.frequencyPenalty() : frequency.floatValue(),
                presence == null ? d.presencePenalty() : presence.floatValue(),
                seed);
    }

    /** chat_template_kwargs: extra template variables (e.g. enable_thinking); llama.cpp takes them on both APIs. */
    static Map<String, Object> templateArgs(Fields f) {
        ObjectNode kwargs = f.object("chat_template_kwargs");
        if (kwargs == null) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(kwargs, LinkedHashMap.class);
        return map;
    }
}
