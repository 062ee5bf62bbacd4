package dev.cairn.server;

import dev.cairn.engine.EngineEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per request: id, endpoint, prompt/cached/generated tokens, time to first token, status. */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("cairn.server");

    private RequestLog() {
    }

    static Entry start(String endpoint) {
        return new Entry(endpoint);
    }

    static final class Entry {
        private final String endpoint;
        private final long startNanos = System.nanoTime();
        private String id = "-";
        private int prompt = -1;
        private int cached = -1;
        private int generated = -1;
        private long ttftMs = -1;
        private String status;

        private Entry(String endpoint) {
            this.endpoint = endpoint;
        }

        void id(String requestId, int promptTokens) {
            this.id = requestId;
            this.prompt = promptTokens;
        }

        void firstToken() {
            if (ttftMs < 0) {
                ttftMs = (System.nanoTime() - startNanos) / 1_000_000;
            }
        }

        void done(EngineEvent.Done d) {
            prompt = d.promptTokens();
            cached = d.cachedTokens();
            generated = d.generatedTokens();
        }

        /** The counts of a request's final state (used when the handler did not read the end itself). */
        void finished(dev.cairn.engine.RequestState end) {
            prompt = end.promptTokens();
            cached = end.cachedTokens();
            generated = end.generatedTokens();
        }

        void status(String s) {
            if (status == null) {
                status = s;
            }
        }

        void write() {
            long totalMs = (System.nanoTime() - startNanos) / 1_000_000;
            LOG.info("{} {} prompt={} cached={} generated={} ttft_ms={} total_ms={} status={}", id, endpoint,
                    n(prompt), n(cached), n(generated), n(ttftMs), totalMs, status == null ? "?" : status);
        }

        private static String n(long v) {
            return v < 0 ? "-" : Long.toString(v);
        }
    }
}
