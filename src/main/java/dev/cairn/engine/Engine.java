package dev.cairn.engine;

import java.time.Duration;
import java.util.List;

/**
 * Runs generations on one loaded model with a fixed number of slots; everything above it (server, CLI) talks to
 * this and consumes the {@link EngineEvent} stream.
 */
public interface Engine extends AutoCloseable {
    /** The loaded model, tokenizer and template. */
    ModelBundle model();

    /**
     * Checks a request without running it.
     *
     * @throws RequestRejectedException with a client-facing message (e.g. "prompt has 9000 tokens but the context is 8192")
     */
    void validate(GenerationRequest request);

    /**
     * Queues a generation (validating it first, so a rejected request throws here and emits nothing). Events go to
     * {@code sink} in order: Queued*, PrefillProgress+, Token*, Done or Error.
     */
    GenerationHandle submit(GenerationRequest request, EventSink sink);

    /** Cancels an in-flight or queued generation; false when the id is unknown or already finished. */
    boolean cancel(String id);

    /** In-flight and queued generations, oldest first, as their events have left them. */
    default List<RequestStatus> requests() {
        return tracker().inFlight().stream().map(RequestState::status).toList();
    }

    /** Every request's state, reduced from the events this engine emits; listeners hear each change. */
    RequestTracker tracker();

    /** Stops accepting work, lets running generations finish for up to {@code grace}, then cancels the rest. */
    void shutdown(Duration grace);

    @Override
    void close();
}
