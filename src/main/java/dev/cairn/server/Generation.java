package dev.cairn.server;

import dev.cairn.chat.AssistantParser;
import dev.cairn.engine.Engine;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.GenerationHandle;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.engine.RequestRejectedException;
import dev.cairn.engine.RequestState;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one accepted request on the engine and writes its response: the whole body when not streaming, otherwise the
 * SSE stream with progress, queue positions and keep-alives. Runs on the request's own (virtual) thread; the engine
 * only enqueues events, so a slow client never stalls the engine.
 */
final class Generation {
    /** How often a non-streaming request checks that its client is still there (well under a prefill chunk). */
    private static final long HANGUP_CHECK_MS = 100;
    /** Not a deadline: the engine always ends a cancelled request; this only reports one that seems stuck. */
    private static final long END_WARN_S = 30;
    private static final Logger LOG = LoggerFactory.getLogger("cairn.server");

    private final Engine engine;
    private final ServerOptions options;
    private final ApiRequest request;
    private final GenerationRequest generation;
    private final ResponseShape shape;
    private final RequestLog.Entry log;
    private final AssistantParser parser;

    Generation(Engine engine, ServerOptions options, String model, ApiRequest request, GenerationRequest generation,
               AssistantParser parser, RequestLog.Entry log) {
        this.engine = engine;
        this.options = options;
        this.request = request;
        this.generation = generation;
        this.shape = ResponseShape.of(generation.id(), model, request, generation.promptTokens().length);
        this.log = log;
        this.parser = parser;
    }

    void run(Context ctx) throws InterruptedException {
        EventQueue events = new EventQueue(generation.id(), generation.promptTokens().length);
        GenerationHandle handle;
        try {
            handle = engine.submit(generation, events);
        } catch (RequestRejectedException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            if (request.stream()) {
                stream(ctx, events, handle);
            } else {
                whole(ctx, events, handle);
            }
        } catch (InterruptedException e) {
            handle.cancel();
            throw e;
        }
    }

    private void whole(Context ctx, EventQueue events, GenerationHandle handle) throws InterruptedException {
        Answer answer = new Answer();
        ClientHangup hangup = new ClientHangup(ctx.req().getLocalPort(), ctx.req().getRemotePort());
        long nextCheck = System.nanoTime() + HANGUP_CHECK_MS * 1_000_000;
        while (true) {
            EngineEvent event = events.poll(Math.max(1, (nextCheck - System.nanoTime()) / 1_000_000));
            switch (event) {
                case null -> {
                }
                case EngineEvent.Token t -> {
                    log.firstToken();
                    if (!t.text().isEmpty()) {
                        answer.addAll(parser.push(t.text()));
                    }
                }
                case EngineEvent.Done d -> {
                    log.done(d);
                    if (d.reason() == EngineEvent.FinishReason.CANCELLED) {
                        throw new ApiException(ApiException.Kind.CANCELLED, cancelledMessage());
                    }
                    answer.addAll(parser.finish(d.reason() == EngineEvent.FinishReason.LENGTH));
                    log.status(respond(ctx, Json.bytes(shape.complete(answer, d))) ? "200" : "disconnected");
                    return;
                }
                case EngineEvent.Error e -> throw new ApiException(ApiException.Kind.INTERNAL, e.message());
                default -> {
                }
            }
            if (System.nanoTime() - nextCheck >= 0) { // on time even while events keep coming
                nextCheck = System.nanoTime() + HANGUP_CHECK_MS * 1_000_000;
                if (hangup.hungUp()) {
                    // nobody will read the answer: stop the work now so its slot serves someone else
                    handle.cancel();
                    log.status("disconnected");
                    awaitEnd(events);
                    return;
                }
            }
        }
    }

    /** Writes and completes the response here, so it is fully sent when the handler (and its in-flight count) ends. */
    private static boolean respond(Context ctx, byte[] body) {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("application/json");
        res.setContentLength(body.length);
        try (OutputStream out = res.getOutputStream()) {
            out.write(body);
            return true;
        } catch (IOException clientGone) {
            return false;
        }
    }

    private void stream(Context ctx, EventQueue events, GenerationHandle handle) throws InterruptedException {
        StreamWriter writer = new StreamWriter(new SseOutput(ctx.res()), shape,
                new ProgressLines(request.progress(), shape.model), options, log, this::queuePosition, parser);
        try {
            while (true) {
                EngineEvent event = events.poll(writer.millisUntilDue());
                if (event == null) {
                    writer.idle();
                } else if (writer.accept(event)) {
                    writer.close();
                    return;
                }
            }
        } catch (IOException clientGone) {
            // The client disconnected: stop the work now so its slot serves someone else.
            handle.cancel();
            log.status("disconnected");
            awaitEnd(events);
        }
    }

    /**
     * After a hang-up: waits for the engine to end the request (it does within one chunk or decode step of the
     * cancel), so its slot is free and the log line has the final counts when the handler returns. The end may
     * already have been delivered (a cancel raced the hang-up); the queue's state knows it either way.
     */
    private void awaitEnd(EventQueue events) throws InterruptedException {
        RequestState end;
        while ((end = events.awaitEnd(END_WARN_S, TimeUnit.SECONDS)) == null) {
            LOG.warn("{} has not ended {} s after its cancel; still waiting", generation.id(), END_WARN_S);
        }
        log.finished(end);
    }

    private Integer queuePosition() {
        RequestState s = engine.tracker().get(generation.id());
        return s != null && s.phase() == RequestState.Phase.QUEUED && s.position() > 0 ? s.position() : null;
    }

    private String cancelledMessage() {
        return cancelledMessage(generation.id());
    }

    static String cancelledMessage(String id) {
        return "request " + id + " was cancelled";
    }
}
