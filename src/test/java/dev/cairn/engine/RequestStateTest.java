package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.EngineEvent.Done;
import dev.cairn.engine.EngineEvent.Error;
import dev.cairn.engine.EngineEvent.FinishReason;
import dev.cairn.engine.EngineEvent.PrefillProgress;
import dev.cairn.engine.EngineEvent.Queued;
import dev.cairn.engine.EngineEvent.Token;
import dev.cairn.engine.RequestState.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The reducer over event sequences, and the tracker that applies it: phases, counts, rates, and exactly one end. */
class RequestStateTest {
    static final String ID = "r1";

    /** Applies events one after another, each {@code stepMs} after the previous, starting at t=1000. */
    static List<RequestState> run(int promptTokens, long stepMs, EngineEvent... events) {
        List<RequestState> states = new ArrayList<>();
        RequestState s = RequestState.submitted(ID, promptTokens, 1000);
        states.add(s);
        long t = 1000;
        for (EngineEvent e : events) {
            t += stepMs;
            s = RequestState.apply(s, e, t);
            states.add(s);
        }
        return states;
    }

    static Done done(FinishReason reason, int prompt, int cached, int generated) {
        return new Done(ID, reason, null, prompt, cached, generated, 40, 300);
    }

    @Test
    void aRequestGoesQueuedPrefillDecodeDoneWithItsCountsAndRates() {
        List<RequestState> s = run(100, 100,
                new Queued(ID, 2), new Queued(ID, 1),
                new PrefillProgress(ID, 10, 100, 10, 0, null, null),
                new PrefillProgress(ID, 60, 100, 10, 100, 500.0, 80L),
                new PrefillProgress(ID, 100, 100, 10, 180, 500.0, 0L),
                new Token(ID, 5, "a"), new Token(ID, 6, "b"), new Token(ID, 7, "c"),
                done(FinishReason.LENGTH, 100, 10, 3));
        assertThat(s).extracting(RequestState::phase).containsExactly(Phase.QUEUED, Phase.QUEUED, Phase.QUEUED,
                Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.DECODE, Phase.DECODE, Phase.DECODE, Phase.DONE);
        assertThat(s).extracting(RequestState::position).containsExactly(0, 2, 1, 0, 0, 0, 0, 0, 0, 0);
        assertThat(s.get(4).processedTokens()).isEqualTo(60);
        assertThat(s.get(4).cachedTokens()).isEqualTo(10);
        assertThat(s.get(4).prefillRate()).isEqualTo(500.0);
        assertThat(s.get(4).etaMs()).isEqualTo(80L);
        // the first token: prompt done, no decode rate yet; two tokens 100 ms apart: 10 tokens/s
        assertThat(s.get(6).processedTokens()).isEqualTo(100);
        assertThat(s.get(6).generatedTokens()).isEqualTo(1);
        assertThat(s.get(6).decodeRate()).isNull();
        assertThat(s.get(6).timeToFirstTokenMs()).isEqualTo(600);
        assertThat(s.get(7).decodeRate()).isEqualTo(10.0);
        assertThat(s.get(8).generatedTokens()).isEqualTo(3);
        RequestState end = s.getLast();
        assertThat(end.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(end.generatedTokens()).isEqualTo(3);
        assertThat(end.cachedTokens()).isEqualTo(10);
        // two intervals over Done's 300 ms of decoding
        assertThat(end.decodeRate()).isCloseTo(2 * 1000.0 / 300, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(end.status().phase()).isEqualTo("done");
    }

    @Test
    void theEndTokenAfterEosDoesNotOutcountDone() {
        // an EOS that releases held-back text sends one more Token, which Done does not count
        RequestState end = run(4, 10, new PrefillProgress(ID, 4, 4, 0, 5, 800.0, 0L), new Token(ID, 9, "x"),
                new Token(ID, 2, "y"), done(FinishReason.EOS, 4, 0, 1)).getLast();
        assertThat(end.phase()).isEqualTo(Phase.DONE);
        assertThat(end.generatedTokens()).isEqualTo(1);
    }

    @Test
    void aCancelWhileQueuedEndsCancelledWithNothingProcessed() {
        RequestState end = run(50, 10, new Queued(ID, 3), done(FinishReason.CANCELLED, 50, 0, 0)).getLast();
        assertThat(end.phase()).isEqualTo(Phase.CANCELLED);
        assertThat(end.processedTokens()).isZero();
        assertThat(end.position()).isZero();
        assertThat(end.timeToFirstTokenMs()).isEqualTo(-1);
    }

    @Test
    void whateverRacesToEndARequestItEndsOnceAndStaysEnded() {
        // a disconnect's cancel and an API cancel both land; a shutdown then fails what is left; late events of
        // either kind change nothing
        EngineEvent[] afterEnd = {done(FinishReason.CANCELLED, 20, 0, 2), new Error(ID, "the engine is shutting down"),
                new Token(ID, 1, "late"), new Queued(ID, 1), new PrefillProgress(ID, 20, 20, 0, 1, 1.0, 0L),
                done(FinishReason.LENGTH, 20, 0, 9)};
        for (Done first : List.of(done(FinishReason.CANCELLED, 20, 0, 2), done(FinishReason.LENGTH, 20, 0, 2))) {
            List<EngineEvent> events = new ArrayList<>(List.of(new PrefillProgress(ID, 20, 20, 0, 3, 100.0, 0L),
                    new Token(ID, 1, "a"), new Token(ID, 1, "b"), first));
            events.addAll(List.of(afterEnd));
            List<RequestState> s = run(20, 10, events.toArray(EngineEvent[]::new));
            RequestState end = s.get(4);
            assertThat(end.phase()).isEqualTo(first.reason() == FinishReason.CANCELLED ? Phase.CANCELLED : Phase.DONE);
            assertThat(s.subList(4, s.size())).allSatisfy(x -> assertThat(x).isSameAs(end));
        }
        // failed first, then a cancel's Done
        List<RequestState> s = run(20, 10, new Queued(ID, 1), new Error(ID, "engine failure: boom"),
                done(FinishReason.CANCELLED, 20, 0, 0));
        assertThat(s.getLast().phase()).isEqualTo(Phase.FAILED);
        assertThat(s.getLast().error()).isEqualTo("engine failure: boom");
    }

    @Test
    void anotherRequestsEventsDoNotTouchThisOne() {
        RequestState s = RequestState.submitted(ID, 5, 0);
        assertThat(RequestState.apply(s, new Done("r2", FinishReason.EOS, null, 5, 0, 1, 1, 1), 5)).isSameAs(s);
    }

    @Test
    void theTrackerListsRequestsInFlightUntilTheirEndAndTellsListenersInOrder() {
        AtomicLong clock = new AtomicLong(0);
        RequestTracker tracker = new RequestTracker(() -> clock.addAndGet(10));
        List<String> heard = new ArrayList<>();
        tracker.submitted("a", 10);
        List<RequestState> snapshot = tracker.subscribe(u -> heard.add(u.state().id() + ":" + u.state().phase().wire()));
        assertThat(snapshot).extracting(RequestState::id).containsExactly("a");
        tracker.submitted("b", 10);
        tracker.apply(new Queued("b", 1));
        tracker.apply(new PrefillProgress("a", 10, 10, 0, 1, 100.0, 0L));
        assertThat(tracker.inFlight()).extracting(RequestState::id).containsExactly("a", "b");
        assertThat(tracker.get("b").position()).isEqualTo(1);
        // a shutdown ends both, one way or another; a second end of "a" is not heard
        tracker.apply(new Done("a", FinishReason.CANCELLED, null, 10, 0, 0, 1, 0));
        tracker.apply(new Error("b", "the engine is shutting down"));
        tracker.apply(new Done("a", FinishReason.LENGTH, null, 10, 0, 3, 1, 1));
        assertThat(tracker.inFlight()).isEmpty();
        assertThat(tracker.get("a")).isNull();
        assertThat(heard).containsExactly("b:queued", "b:queued", "a:prefill", "a:cancelled", "b:failed");
    }
}
