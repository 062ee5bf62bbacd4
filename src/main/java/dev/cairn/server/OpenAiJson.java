package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.EngineEvent;

/** Pieces shared by the OpenAI response shapes. */
final class OpenAiJson {
    static final String FINGERPRINT = "cairn-0.1.0";

    private OpenAiJson() {
    }

    static ObjectNode header(String id, String object, long created, String model, boolean fingerprint) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        if (fingerprint) {
            root.put("system_fingerprint", FINGERPRINT);
        }
        return root;
    }

    static String finishReason(EngineEvent.Done done) {
        return done.reason() == EngineEvent.FinishReason.LENGTH ? "length" : "stop";
    }

    static ObjectNode usage(EngineEvent.Done done) {
        ObjectNode usage = Json.object();
        usage.put("prompt_tokens", done.promptTokens());
        usage.put("completion_tokens", done.generatedTokens());
        usage.put("total_tokens", done.promptTokens() + done.generatedTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", done.cachedTokens());
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
        return usage;
    }

    /** llama.cpp's prompt_progress object: {total, cache, processed, time_ms}. */
    static ObjectNode llamaProgress(EngineEvent.PrefillProgress p) {
        ObjectNode o = Json.object();
        o.put("total", p.totalTokens());
        o.put("cache", p.cachedTokens());
        o.put("processed", p.processedTokens());
        o.put("time_ms", p.elapsedMs());
        return o;
    }
}
