package dev.cairn.engine;

import dev.cairn.grammar.TokenConstraint;
import dev.cairn.tokenizer.TokenDecoder;
import java.util.List;

/** One submitted generation as the scheduler works on it; only the cancel flag is touched by other threads. */
final class Job implements GenerationHandle {
    enum Phase { QUEUED, PREFILL, DECODE }

    final String id;
    final long seq;
    final int[] prompt;
    final SamplingParams sampling;
    final int maxTokens;
    final List<String> stops;
    final EventSink sink;
    /** Which tokens may come next, or null for free generation. */
    final TokenConstraint constraint;
    private final LocalEngine engine;

    volatile boolean cancelRequested;

    // Scheduler-thread state: what the scheduler works from. What others see of a request is its RequestState.
    Phase phase = Phase.QUEUED;
    int position;
    int processed;
    int cached;
    Slot slot;
    Sampler sampler;
    TokenDecoder decoder;
    StopMatcher stopMatcher;
    long prefillStartNanos;
    PrefillClock prefillClock;
    long prefillMs;
    long decodeStartNanos;
    int generated;
    /** The last sampled token, not yet in the KV cache (fed at the next decode step). */
    int pendingToken;

    Job(String id, long seq, GenerationRequest request, SamplingParams sampling, EventSink sink, LocalEngine engine) {
        this.id = id;
        this.seq = seq;
        this.prompt = request.promptTokens().clone();
        this.sampling = sampling;
        this.maxTokens = request.maxTokens();
        this.stops = request.stop() == null ? List.of() : List.copyOf(request.stop().stream()
                .filter(s -> s != null && !s.isEmpty()).toList());
        this.sink = sink;
        this.constraint = request.constraint();
        this.engine = engine;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void cancel() {
        // Flag this job itself: a later request may reuse the id once this one has finished.
        cancelRequested = true;
        engine.wake();
    }

}
