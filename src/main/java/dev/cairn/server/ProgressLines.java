package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.EngineEvent;

/** Prefill-progress and queue-position frames: SSE comments by default, named events on request. */
final class ProgressLines {
    static final String KEEPALIVE = Sse.comment("keep-alive");

    private final ApiRequest.ProgressMode mode;
    private final String model;

    ProgressLines(ApiRequest.ProgressMode mode, String model) {
        this.mode = mode;
        this.model = model;
    }

    String progress(EngineEvent.PrefillProgress p) {
        ObjectNode o = Json.object();
        o.put("request_id", p.requestId());
        o.put("model", model);
        o.put("processed_tokens", p.processedTokens());
        o.put("total_tokens", p.totalTokens());
        o.put("cached_tokens", p.cachedTokens());
        o.put("elapsed_ms", p.elapsedMs());
        if (p.tokensPerSecond() == null || p.tokensPerSecond().isNaN() || p.tokensPerSecond().isInfinite()) {
            o.putNull("tokens_per_second");
        } else {
            o.put("tokens_per_second", Math.round(p.tokensPerSecond() * 10) / 10.0);
        }
        o.put("eta_ms", p.etaMs());
        return frame("prefill_progress", o);
    }

    String queued(String requestId, int position) {
        ObjectNode o = Json.object();
        o.put("request_id", requestId);
        o.put("position", position);
        return frame("queued", o);
    }

    private String frame(String name, ObjectNode json) {
        return mode == ApiRequest.ProgressMode.EVENTS ? Sse.event(name, json) : Sse.comment(name + " " + Json.write(json));
    }
}
