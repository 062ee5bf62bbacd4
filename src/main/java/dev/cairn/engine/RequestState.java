package dev.cairn.engine;

import dev.cairn.engine.EngineEvent.FinishReason;
import java.util.Locale;

/**
 * What is known about one request, reduced from its engine events by {@link #apply}: the only source of request state
 * (the request list, queue positions, the request log and the activity stream all read it). A state is immutable;
 * once it has ended, further events leave it as it is, so a request ends exactly once whatever races to end it.
 *
 * @param position        place in the queue while {@link Phase#QUEUED} (1 = next; 0 = not yet placed), else 0
 * @param processedTokens prompt tokens in the KV cache so far, cached ones included
 * @param prefillRate     prompt tokens per second over the chunks run so far; null before the first chunk ends
 * @param etaMs           estimated milliseconds until the prompt is processed; null before the first chunk ends
 * @param decodeRate      generated tokens per second since the first token; null until there are two
 * @param submittedAtMs   wall-clock milliseconds when the request was submitted
 * @param firstTokenAtMs  wall-clock milliseconds of the first generated token, or -1
 * @param updatedAtMs     wall-clock milliseconds of the last event applied
 * @param finishReason    why it ended (null unless DONE or CANCELLED)
 * @param error           the failure, fit for a client (null unless FAILED)
 */
public record RequestState(String id, Phase phase, int position, int promptTokens, int processedTokens,
                           int cachedTokens, Double prefillRate, Long etaMs, int generatedTokens, Double decodeRate,
                           long submittedAtMs, long firstTokenAtMs, long updatedAtMs, FinishReason finishReason,
                           String error, long prefillMs, long decodeMs) {

    /** Where a request is; the last three are ends, and a request reaches exactly one of them once. */
    public enum Phase {
        QUEUED, PREFILL, DECODE, DONE, CANCELLED, FAILED;

        public boolean ended() {
            return this == DONE || this == CANCELLED || this == FAILED;
        }

        /** The lower-case name used on the wire ("queued", "prefill", ...). */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A request just submitted: waiting, not yet placed in the queue. */
    public static RequestState submitted(String id, int promptTokens, long atMs) {
        return new RequestState(id, Phase.QUEUED, 0, promptTokens, 0, 0, null, null, 0, null, atMs, -1, atMs, null,
                null, 0, 0);
    }

    /** The state after {@code event}, which happened at {@code atMs}; an ended state never changes. */
    public static RequestState apply(RequestState s, EngineEvent event, long atMs) {
        if (s.phase.ended() || !s.id.equals(event.requestId())) {
            return s;
        }
        return switch (event) {
            case EngineEvent.Queued q -> s.with(Phase.QUEUED, q.position(), s.processedTokens, s.cachedTokens,
                    s.prefillRate, s.etaMs, s.generatedTokens, s.decodeRate, s.firstTokenAtMs, atMs);
            case EngineEvent.PrefillProgress p -> new RequestState(s.id, Phase.PREFILL, 0, p.totalTokens(),
                    p.processedTokens(), p.cachedTokens(), finite(p.tokensPerSecond()), p.etaMs(), s.generatedTokens,
                    s.decodeRate, s.submittedAtMs, s.firstTokenAtMs, atMs, null, null, p.elapsedMs(), 0);
            case EngineEvent.Token t -> {
                long first = s.firstTokenAtMs < 0 ? atMs : s.firstTokenAtMs;
                int generated = s.generatedTokens + 1;
                Double rate = generated > 1 && atMs > first ? Double.valueOf((generated - 1) * 1000.0 / (atMs - first))
                        : s.decodeRate;
                Long eta = s.etaMs == null ? null : Long.valueOf(0);
                yield s.with(Phase.DECODE, 0, s.processedTokens, s.cachedTokens, s.prefillRate, eta, generated, rate,
                        first, atMs);
            }
            case EngineEvent.Done d -> {
                Phase end = d.reason() == FinishReason.CANCELLED ? Phase.CANCELLED : Phase.DONE;
                Double rate = d.decodeMs() > 0 && d.generatedTokens() > 1
                        ? Double.valueOf((d.generatedTokens() - 1) * 1000.0 / d.decodeMs()) : s.decodeRate;
                yield new RequestState(s.id, end, 0, d.promptTokens(), s.processedTokens, d.cachedTokens(), s.prefillRate,
                        s.etaMs, d.generatedTokens(), rate, s.submittedAtMs, s.firstTokenAtMs, atMs, d.reason(), null,
                        d.prefillMs(), d.decodeMs());
            }
            case EngineEvent.Error e -> new RequestState(s.id, Phase.FAILED, 0, s.promptTokens, s.processedTokens,
                    s.cachedTokens, s.prefillRate, s.etaMs, s.generatedTokens, s.decodeRate, s.submittedAtMs,
                    s.firstTokenAtMs, atMs, null, e.message(), s.prefillMs, s.decodeMs);
        };
    }

    /** Milliseconds from submission to the first generated token, or -1 if there was none. */
    public long timeToFirstTokenMs() {
        return firstTokenAtMs < 0 ? -1 : firstTokenAtMs - submittedAtMs;
    }

    /** The snapshot GET /v1/requests shows. */
    public RequestStatus status() {
        return new RequestStatus(id, phase.wire(), phase == Phase.QUEUED ? position : 0, processedTokens,
                promptTokens, cachedTokens, submittedAtMs / 1000);
    }

    private RequestState with(Phase phase, int position, int processed, int cached, Double prefillRate, Long eta,
                              int generated, Double decodeRate, long firstTokenAt, long at) {
        int p = phase == Phase.DECODE ? promptTokens : processed;
        return new RequestState(id, phase, position, promptTokens, p, cached, prefillRate, eta, generated, decodeRate,
                submittedAtMs, firstTokenAt, at, null, null, prefillMs, decodeMs);
    }

    private static Double finite(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? null : d;
    }
}
