package dev.cairn.server;

import dev.cairn.engine.Engine;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.GenerationHandle;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.engine.RequestRejectedException;
import dev.cairn.engine.RequestStatus;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Runs one accepted request on the engine and writes its response: the whole body when not streaming, otherwise the
 * SSE stream with progress, queue positions and keep-alives. Runs on the request's own (virtual) thread; the engine
 * only enqueues events, so a slow client never stalls the engine.
 */
final class Generation {
    private final Engine engine;
    private final ServerOptions options;
    private final ApiRequest request;
    private final GenerationRequest generation;
    private final ResponseShape shape;
    private final RequestLog.Entry log;

    Generation(Engine engine, ServerOptions options, String model, ApiRequest request, GenerationRequest generation,
               RequestLog.Entry log) {
        this.engine = engine;
        this.options = options;
        this.request = request;
        this.generation = generation;
        this.shape = ResponseShape.of(generation.id(), model, request, generation.promptTokens().length);
        this.log = log;
    }

    void run(Context ctx) throws InterruptedException {
        EventQueue events = new EventQueue();
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
                whole(ctx, events);
            }
        } catch (InterruptedException e) {
            handle.cancel();
            throw e;
        }
    }

    private void whole(Context ctx, EventQueue events) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        while (true) {
            switch (events.take()) {
                case EngineEvent.Token t -> {
                    log.firstToken();
                    text.append(t.text());
                }
                case EngineEvent.Done d -> {
                    log.done(d);
                    if (d.reason() == EngineEvent.FinishReason.CANCELLED) {
                        throw new ApiException(ApiException.Kind.CANCELLED, cancelledMessage());
                    }
                    ctx.status(200).contentType("application/json").result(Json.bytes(shape.complete(text.toString(), d)));
                    log.status("200");
                    return;
                }
                case EngineEvent.Error e -> throw new ApiException(ApiException.Kind.INTERNAL, e.message());
                default -> {
                }
            }
        }
    }

    private void stream(Context ctx, EventQueue events, GenerationHandle handle) throws InterruptedException {
        SseOutput out = new SseOutput(ctx.res());
        ProgressLines lines = new ProgressLines(request.progress(), shape.model);
        long keepaliveMs = options.keepaliveS() * 1000;
        boolean queued = false;
        long lastQueueLine = 0;
        boolean prefillStarted = false;
        boolean answerStarted = false;
        try {
            while (true) {
                long wait = keepaliveMs - out.millisSinceLastWrite();
                if (queued) {
                    wait = Math.min(wait, options.queueUpdateMs() - (System.currentTimeMillis() - lastQueueLine));
                }
                EngineEvent event = events.poll(wait);
                if (event == null) {
                    if (queued && System.currentTimeMillis() - lastQueueLine >= options.queueUpdateMs()) {
                        Integer position = queuePosition();
                        queued = position != null;
                        if (queued) {
                            out.send(lines.queued(generation.id(), position));
                            lastQueueLine = System.currentTimeMillis();
                        }
                    }
                    if (out.millisSinceLastWrite() >= keepaliveMs) {
                        out.send(ProgressLines.KEEPALIVE);
                    }
                    continue;
                }
                switch (event) {
                    case EngineEvent.Queued q -> {
                        queued = true;
                        lastQueueLine = System.currentTimeMillis();
                        out.send(lines.queued(q.requestId(), q.position()));
                    }
                    case EngineEvent.PrefillProgress p -> {
                        queued = false;
                        String frames = "";
                        if (!prefillStarted) {
                            prefillStarted = true;
                            frames = shape.prefillStarted(p.cachedTokens());
                        }
                        out.send(frames + lines.progress(p) + shape.progressChunk(p));
                    }
                    case EngineEvent.Token t -> {
                        queued = false;
                        log.firstToken();
                        StringBuilder frames = new StringBuilder();
                        if (!prefillStarted) {
                            prefillStarted = true;
                            frames.append(shape.prefillStarted(0));
                        }
                        if (!answerStarted) {
                            answerStarted = true;
                            frames.append(shape.answerStarted());
                        }
                        if (!t.text().isEmpty()) {
                            frames.append(shape.delta(t.text()));
                        }
                        out.send(frames.toString());
                    }
                    case EngineEvent.Done d -> {
                        log.done(d);
                        if (d.reason() == EngineEvent.FinishReason.CANCELLED) {
                            log.status("cancelled");
                            if (!out.opened()) {
                                throw new ApiException(ApiException.Kind.CANCELLED, cancelledMessage());
                            }
                            out.send(shape.failed(ApiException.Kind.CANCELLED, cancelledMessage()));
                            return;
                        }
                        StringBuilder frames = new StringBuilder();
                        if (!prefillStarted) {
                            frames.append(shape.prefillStarted(d.cachedTokens()));
                        }
                        if (!answerStarted) {
                            frames.append(shape.answerStarted());
                        }
                        frames.append(shape.finished(d));
                        out.send(frames.toString());
                        log.status("200");
                        return;
                    }
                    case EngineEvent.Error e -> {
                        if (!out.opened()) {
                            throw new ApiException(ApiException.Kind.INTERNAL, e.message());
                        }
                        log.status("error: " + e.message());
                        out.send(shape.failed(ApiException.Kind.INTERNAL, e.message()));
                        return;
                    }
                }
            }
        } catch (IOException clientGone) {
            // The client disconnected: stop the work now so its slot serves someone else.
            handle.cancel();
            log.status("disconnected");
            awaitEnd(events);
        }
    }

    /** Waits briefly for the engine to confirm the end, so the log line has the final counts. */
    private void awaitEnd(EventQueue events) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            EngineEvent e = events.poll(deadline - System.currentTimeMillis());
            if (e instanceof EngineEvent.Done d) {
                log.done(d);
                return;
            }
            if (e == null || e instanceof EngineEvent.Error) {
                return;
            }
        }
    }

    private Integer queuePosition() {
        for (RequestStatus s : engine.requests()) {
            if (s.id().equals(generation.id())) {
                return s.phase().equals("queued") ? s.position() : null;
            }
        }
        return null;
    }

    private String cancelledMessage() {
        return "request " + generation.id() + " was cancelled";
    }
}
