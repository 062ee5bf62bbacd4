package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Collects one generation's events; optionally reacts to each on the engine thread (e.g. to cancel). */
final class Recorder implements EventSink {
    final List<EngineEvent> events = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Consumer<EngineEvent> onEvent;

    Recorder() {
        this(e -> { });
    }

    Recorder(Consumer<EngineEvent> onEvent) {
        this.onEvent = onEvent;
    }

    @Override
    public void accept(EngineEvent event) {
        synchronized (this) {
            events.add(event);
        }
        onEvent.accept(event);
        if (event instanceof EngineEvent.Done || event instanceof EngineEvent.Error) {
            finished.countDown();
        }
    }

    /** Waits for Done (failing on Error or timeout) and returns it. */
    EngineEvent.Done awaitDone() {
        EngineEvent last = awaitEnd();
        assertThat(last).isInstanceOf(EngineEvent.Done.class);
        return (EngineEvent.Done) last;
    }

    /** Waits for the final event (Done or Error) and returns it. */
    EngineEvent awaitEnd() {
        try {
            assertThat(finished.await(60, TimeUnit.SECONDS)).as("generation finished").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return snapshot().getLast();
    }

    synchronized List<EngineEvent> snapshot() {
        return List.copyOf(events);
    }

    <T extends EngineEvent> List<T> of(Class<T> type) {
        return snapshot().stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<EngineEvent.PrefillProgress> progress() {
        return of(EngineEvent.PrefillProgress.class);
    }

    int[] tokenIds() {
        return of(EngineEvent.Token.class).stream().mapToInt(EngineEvent.Token::tokenId).toArray();
    }

    String text() {
        StringBuilder b = new StringBuilder();
        of(EngineEvent.Token.class).forEach(t -> b.append(t.text()));
        return b.toString();
    }

    List<Integer> queuePositions() {
        return of(EngineEvent.Queued.class).stream().map(EngineEvent.Queued::position).toList();
    }
}
