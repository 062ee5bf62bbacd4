package dev.cairn.server;

import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.EventSink;
import dev.cairn.engine.RequestState;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands engine events (delivered on an engine thread, which must not block) to the request's own thread, and reduces
 * them to the request's state as they arrive, so the end is known even when the thread that reads the queue has
 * stopped reading (its client hung up while the end was on its way).
 */
final class EventQueue implements EventSink {
    private final LinkedBlockingQueue<EngineEvent> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile RequestState state;

    EventQueue(String requestId, int promptTokens) {
        this.state = RequestState.submitted(requestId, promptTokens, System.currentTimeMillis());
    }

    @Override
    public void accept(EngineEvent event) {
        // only the engine's thread writes the state, so read-modify-write needs no lock
        state = RequestState.apply(state, event, System.currentTimeMillis());
        queue.add(event);
        if (state.phase().ended()) {
            ended.countDown();
        }
    }

    /** The next event, or null after {@code timeoutMs} without one. */
    EngineEvent poll(long timeoutMs) throws InterruptedException {
        return queue.poll(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
    }

    EngineEvent take() throws InterruptedException {
        return queue.take();
    }

    /** The request's state after the events delivered so far. */
    RequestState state() {
        return state;
    }

    /** Waits until the engine has ended the request (Done or Error) and returns its last state. */
    RequestState awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit) ? state : null;
    }
}
