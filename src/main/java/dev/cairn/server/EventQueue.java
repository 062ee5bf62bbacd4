package dev.cairn.server;

import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.EventSink;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Hands engine events (delivered on an engine thread, which must not block) to the request's own thread. */
final class EventQueue implements EventSink {
    private final LinkedBlockingQueue<EngineEvent> queue = new LinkedBlockingQueue<>();

    @Override
    public void accept(EngineEvent event) {
        queue.add(event);
    }

    /** The next event, or null after {@code timeoutMs} without one. */
    EngineEvent poll(long timeoutMs) throws InterruptedException {
        return queue.poll(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
    }

    EngineEvent take() throws InterruptedException {
        return queue.take();
    }
}
