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
        return finishReason(done, false);
    }

    /** An answer that made complete calls ends with "tool_calls", unless it ran out of room. */
    static String finishReason(EngineEvent.Done done, boolean calledTools) {
        if (done.reason() == EngineEvent.FinishReason.LENGTH) {
            return "length";
        }
        return calledTools ? "tool_calls" : "stop";
    }

    /** The tail of a non-streaming response: usage, the fingerprint and llama.cpp's timings. */
    static ObjectNode withUsageAndTimings(ObjectNode root, EngineEvent.Done done) {
        root.set("usage", usage(done));
        root.put("system_fingerprint", FINGERPRINT);
        root.set("timings", timings(done));
        return root;
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

    /**
     * llama.cpp's server {@code timings} object, which tools that compare servers read: prompt tokens processed
     * (cached ones excluded) and generated tokens, with their times and rates as llama.cpp computes them (its
     * {@code predicted_n} counts the first token, which comes from the prompt's logits). A rate is null when its time
     * rounds to 0 ms.
     */
    static ObjectNode timings(EngineEvent.Done done) {
        ObjectNode t = Json.object();
        int promptN = done.promptTokens() - done.cachedTokens();
        t.put("prompt_n", promptN);
        t.put("prompt_ms", (double) done.prefillMs());
        putRates(t, "prompt", promptN, done.prefillMs());
        t.put("predicted_n", done.generatedTokens());
        t.put("predicted_ms", (double) done.decodeMs());
        putRates(t, "predicted", done.generatedTokens(), done.decodeMs());
        return t;
    }

    private static void putRates(ObjectNode t, String prefix, int n, long ms) {
        if (n > 0 && ms > 0) {
            t.put(prefix + "_per_token_ms", (double) ms / n);
            t.put(prefix + "_per_second", n * 1000.0 / ms);
        } else {
            t.putNull(prefix + "_per_token_ms");
            t.putNull(prefix + "_per_second");
        }
    }

    /**
     * The final chunk (with llama.cpp's {@code timings}), then (with stream_options.include_usage) the usage chunk with
     * no choices, then [DONE].
     */
    static String streamEnd(ObjectNode finalChunk, ResponseShape shape, String object, EngineEvent.Done done) {
        finalChunk.set("timings", timings(done));
        StringBuilder sb = new StringBuilder(Sse.data(finalChunk));
        if (shape.request.includeUsage()) {
            ObjectNode last = header(shape.id, object, shape.created, shape.model, true);
            last.putArray("choices");
            last.set("usage", usage(done));
            sb.append(Sse.data(last));
        }
        return sb.append(Sse.data("[DONE]")).toString();
    }

    /** An error once the stream has begun: an error data frame, then [DONE] so clients stop reading. */
    static String streamError(ApiException.Kind kind, String message) {
        return Sse.data(Dialect.OPENAI.errorBody(kind, message, null)) + Sse.data("[DONE]");
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
