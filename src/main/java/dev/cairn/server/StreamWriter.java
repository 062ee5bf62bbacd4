package dev.cairn.server;

import dev.cairn.chat.AssistantEvent;
import dev.cairn.chat.AssistantParser;
import dev.cairn.engine.EngineEvent;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns one generation's engine events into its SSE stream: queue positions (repeated while waiting), progress lines
 * the moment each chunk finishes, the endpoint's own frames around the text, and keep-alives when nothing happens.
 */
final class StreamWriter {
    private final SseOutput out;
    private final ResponseShape shape;
    private final ProgressLines lines;
    private final long queueUpdateMs;
    private final long keepaliveMs;
    private final RequestLog.Entry log;
    private final Supplier<Integer> queuePosition;
    private final AssistantParser parser;
    private boolean queued;
    private long lastQueueLine;
    private boolean prefillStarted;
    private boolean answerStarted;

    /**
     * @param queuePosition the request's current queue position, or null once it no longer waits
     * @param parser        reads the generated text as answer text, thinking and tool calls
     */
    StreamWriter(SseOutput out, ResponseShape shape, ProgressLines lines, ServerOptions options, RequestLog.Entry log,
                 Supplier<Integer> queuePosition, AssistantParser parser) {
        this.out = out;
        this.shape = shape;
        this.lines = lines;
        this.queueUpdateMs = options.queueUpdateMs();
        this.keepaliveMs = options.keepaliveS() * 1000;
        this.log = log;
        this.queuePosition = queuePosition;
        this.parser = parser;
    }

    /** How long to wait for the next event before a queue line or a keep-alive is due. */
    long millisUntilDue() {
        long wait = keepaliveMs - out.millisSinceLastWrite();
        if (queued) {
            wait = Math.min(wait, queueUpdateMs - (System.currentTimeMillis() - lastQueueLine));
        }
        return wait;
    }

    /** No event came: repeat the queue position or send a keep-alive if one is due. */
    void idle() throws IOException {
        if (queued && System.currentTimeMillis() - lastQueueLine >= queueUpdateMs) {
            Integer position = queuePosition.get();
            queued = position != null;
            if (queued) {
                queuedLine(position);
            }
        }
        if (out.millisSinceLastWrite() >= keepaliveMs) {
            out.send(ProgressLines.KEEPALIVE);
        }
    }

    /** Writes what {@code event} means on the wire; true when the stream is complete. */
    boolean accept(EngineEvent event) throws IOException {
        switch (event) {
            case EngineEvent.Queued q -> {
                queued = true;
                queuedLine(q.position());
                return false;
            }
            case EngineEvent.PrefillProgress p -> {
                queued = false;
                out.send(startPrefill(p.cachedTokens()) + lines.progress(p) + shape.progressChunk(p));
                return false;
            }
            case EngineEvent.Token t -> {
                queued = false;
                log.firstToken();
                String frames = startPrefill(0) + startAnswer();
                out.send(t.text().isEmpty() ? frames : frames + shape.events(parser.push(t.text())));
                return false;
            }
            case EngineEvent.Done d -> {
                log.done(d);
                if (d.reason() == EngineEvent.FinishReason.CANCELLED) {
                    log.status("cancelled");
                    fail(ApiException.Kind.CANCELLED, Generation.cancelledMessage(d.requestId()));
                } else {
                    List<AssistantEvent> last = parser.finish(d.reason() == EngineEvent.FinishReason.LENGTH);
                    out.send(startPrefill(d.cachedTokens()) + startAnswer() + shape.events(last) + shape.finished(d));
                    log.status("200");
                }
                return true;
            }
            case EngineEvent.Error e -> {
                log.status("error: " + e.message());
                fail(ApiException.Kind.INTERNAL, e.message());
                return true;
            }
        }
    }

    void close() throws IOException {
        out.close();
    }

    /** Before the headers a failure is a plain error response; after them, the endpoint's error frames. */
    private void fail(ApiException.Kind kind, String message) throws IOException {
        if (!out.opened()) {
            throw new ApiException(kind, message);
        }
        out.send(shape.failed(kind, message));
    }

    private void queuedLine(int position) throws IOException {
        lastQueueLine = System.currentTimeMillis();
        out.send(lines.queued(shape.id, position));
    }

    private String startPrefill(int cachedTokens) {
        if (prefillStarted) {
            return "";
        }
        prefillStarted = true;
        return shape.prefillStarted(cachedTokens);
    }

    private String startAnswer() {
        if (answerStarted) {
            return "";
        }
        answerStarted = true;
        return shape.answerStarted();
    }
}
