package dev.cairn.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.RequestState;
import dev.cairn.engine.RequestTracker;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * GET /v1/requests/events: every request's lifecycle as server-sent events, whoever sent it. Each change is one
 * {@code event: request} whose data is the request's whole current state (so a client just replaces what it had
 * under that id): queued with its position, each prefill chunk, the first token, the decode rate now and then, and
 * the end with its usage. A new subscriber first gets the requests in flight and the last few finished, then
 * {@code event: ready}; silence is broken by keep-alive comments.
 */
final class ActivityStream {
    /** Finished requests a new subscriber is shown (the dashboard lists "the last few"). */
    static final int RECENT = 8;
    /** Tokens are many: while decoding, a request's state goes out at most this often. */
    static final long DECODE_UPDATE_MS = 500;

    /** Who sent a request: what the engine does not know. */
    record Origin(String endpoint, String model, String client, String userAgent) {
    }

    private final long keepaliveMs;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final Map<String, RequestState> inFlight = new LinkedHashMap<>();
    private final Map<String, Long> lastDecodeSent = new HashMap<>();
    private final ArrayDeque<ObjectNode> recent = new ArrayDeque<>();
    private final List<LinkedBlockingQueue<String>> subscribers = new CopyOnWriteArrayList<>();
    private boolean closed;

    ActivityStream(RequestTracker tracker, ServerOptions options) {
        this.keepaliveMs = Math.max(1, options.keepaliveS()) * 1000L;
        synchronized (this) {
            for (RequestState s : tracker.subscribe(this::onUpdate)) {
                inFlight.put(s.id(), s);
            }
        }
    }

    /** Records who sent a request; call before it is submitted, so its first state already carries it. */
    void started(String id, Origin origin) {
        origins.put(id, origin);
    }

    /** Forgets a request that never reached the engine (refused before submission). */
    void abandoned(String id) {
        if (!inFlightContains(id)) {
            origins.remove(id);
        }
    }

    private synchronized boolean inFlightContains(String id) {
        return inFlight.containsKey(id);
    }

    /** On the engine's thread: keep the state, and pass it on unless it is one more token of many. */
    private synchronized void onUpdate(RequestTracker.Update update) {
        RequestState s = update.state();
        boolean ended = s.phase().ended();
        if (ended) {
            inFlight.remove(s.id());
            lastDecodeSent.remove(s.id());
        } else {
            inFlight.put(s.id(), s);
        }
        if (s.phase() == RequestState.Phase.DECODE && s.generatedTokens() > 1) {
            Long last = lastDecodeSent.get(s.id());
            if (last != null && s.updatedAtMs() - last < DECODE_UPDATE_MS) {
                return;
            }
        }
        if (s.phase() == RequestState.Phase.DECODE) {
            lastDecodeSent.put(s.id(), s.updatedAtMs());
        }
        ObjectNode json = json(s);
        if (ended) {
            origins.remove(s.id());
            recent.addLast(json);
            while (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
        String frame = Sse.event("request", json);
        for (LinkedBlockingQueue<String> q : subscribers) {
            q.add(frame);
        }
    }

    /** The frames a new subscriber starts with, and its queue registered in the same breath (nothing falls between). */
    private synchronized String subscribe(LinkedBlockingQueue<String> queue) {
        StringBuilder first = new StringBuilder();
        for (ObjectNode done : recent) {
            first.append(Sse.event("request", done));
        }
        for (RequestState s : inFlight.values()) {
            first.append(Sse.event("request", json(s)));
        }
        ObjectNode ready = Json.object();
        ready.put("in_flight", inFlight.size());
        first.append(Sse.event("ready", ready));
        subscribers.add(queue);
        if (closed) {
            queue.add(END);
        }
        return first.toString();
    }

    /** Frame that ends a subscriber's stream (compared by identity). */
    private static final String END = new String("end");

    /** Ends every subscriber's stream, so a stopping server does not wait on them. */
    synchronized void close() {
        closed = true;
        for (LinkedBlockingQueue<String> q : subscribers) {
            q.add(END);
        }
    }

    /** Streams until the client goes away (or the server stops). */
    void handle(Context ctx) {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        SseOutput out = new SseOutput(ctx.res());
        try {
            out.send(subscribe(queue));
            while (true) {
                String frame = queue.poll(keepaliveMs - out.millisSinceLastWrite(), TimeUnit.MILLISECONDS);
                if (frame == END) {
                    out.close();
                    return;
                } else if (frame != null) {
                    StringBuilder batch = new StringBuilder(frame);
                    for (String more; (more = queue.peek()) != null && more != END; ) {
                        batch.append(queue.poll());
                    }
                    out.send(batch.toString());
                } else if (out.millisSinceLastWrite() >= keepaliveMs) {
                    out.send(ProgressLines.KEEPALIVE);
                }
            }
        } catch (IOException | InterruptedException gone) {
            // the subscriber hung up, or the server is stopping: nothing to tell anyone
        } finally {
            subscribers.remove(queue);
        }
    }

    ObjectNode json(RequestState s) {
        Origin o = origins.get(s.id());
        ObjectNode j = Json.object();
        j.put("id", s.id());
        j.put("phase", s.phase().wire());
        j.put("endpoint", o == null ? null : o.endpoint());
        j.put("model", o == null ? null : o.model());
        j.put("client", o == null ? null : o.client());
        j.put("user_agent", o == null ? null : o.userAgent());
        j.put("created", s.submittedAtMs() / 1000);
        j.put("elapsed_ms", s.updatedAtMs() - s.submittedAtMs());
        j.put("position", s.position());
        j.put("prompt_tokens", s.promptTokens());
        j.put("processed_tokens", s.processedTokens());
        j.put("cached_tokens", s.cachedTokens());
        j.put("prefill_tokens_per_second", round(s.prefillRate()));
        j.put("eta_ms", s.etaMs());
        j.put("generated_tokens", s.generatedTokens());
        j.put("decode_tokens_per_second", round(s.decodeRate()));
        Long ttft = s.timeToFirstTokenMs() < 0 ? null : s.timeToFirstTokenMs();
        j.put("ttft_ms", ttft);
        if (s.phase().ended()) {
            j.put("finish_reason", s.finishReason() == null ? null : s.finishReason().name().toLowerCase(java.util.Locale.ROOT));
            j.put("error", s.error());
            ObjectNode usage = j.putObject("usage");
            usage.put("prompt_tokens", s.promptTokens());
            usage.put("cached_tokens", s.cachedTokens());
            usage.put("completion_tokens", s.generatedTokens());
            usage.put("prefill_ms", s.prefillMs());
            usage.put("decode_ms", s.decodeMs());
        }
        return j;
    }

    private static Double round(Double d) {
        return d == null ? null : Math.round(d * 10) / 10.0;
    }

    /** The requests this stream knows in flight, for tests. */
    synchronized List<String> inFlightIds() {
        return new ArrayList<>(inFlight.keySet());
    }
}
