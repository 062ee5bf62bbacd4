package dev.cairn.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Every request's {@link RequestState}, reduced from the engine's events as they are emitted, and the listeners that
 * hear each change. The engine feeds it; readers take snapshots. A listener is called in event order on the engine's
 * thread, so it must only hand the update on (e.g. to a queue).
 */
public final class RequestTracker {
    /** One change: the state after {@code event} (null when the request was just submitted). */
    public record Update(RequestState state, EngineEvent event) {
    }

    private final LongSupplier clock;
    private final Map<String, RequestState> inFlight = new LinkedHashMap<>();
    private final List<Consumer<Update>> listeners = new CopyOnWriteArrayList<>();

    public RequestTracker() {
        this(System::currentTimeMillis);
    }

    /** @param clock wall-clock milliseconds (tests pass their own) */
    public RequestTracker(LongSupplier clock) {
        this.clock = clock;
    }

    /** Starts tracking a request that was just accepted; it is QUEUED until its first event. */
    public synchronized RequestState submitted(String id, int promptTokens) {
        RequestState s = RequestState.submitted(id, promptTokens, clock.getAsLong());
        inFlight.put(id, s);
        publish(new Update(s, null));
        return s;
    }

    /** Applies one event; an ended request leaves the in-flight list. Events of unknown requests are ignored. */
    public synchronized RequestState apply(EngineEvent event) {
        RequestState before = inFlight.get(event.requestId());
        if (before == null) {
            return null;
        }
        RequestState after = RequestState.apply(before, event, clock.getAsLong());
        if (after.phase().ended()) {
            inFlight.remove(after.id());
        } else {
            inFlight.put(after.id(), after);
        }
        publish(new Update(after, event));
        return after;
    }

    /** The requests not yet ended, oldest first. */
    public synchronized List<RequestState> inFlight() {
        return new ArrayList<>(inFlight.values());
    }

    /** The state of a request in flight, or null once it has ended (or was never submitted). */
    public synchronized RequestState get(String id) {
        return inFlight.get(id);
    }

    /**
     * Adds a listener and returns the requests in flight at that moment: no update falls between the snapshot and the
     * first one the listener hears.
     */
    public synchronized List<RequestState> subscribe(Consumer<Update> listener) {
        listeners.add(listener);
        return inFlight();
    }

    public void unsubscribe(Consumer<Update> listener) {
        listeners.remove(listener);
    }

    private void publish(Update update) {
        for (Consumer<Update> l : listeners) {
            try {
                l.accept(update);
            } catch (RuntimeException e) {
                // a broken listener must not stop the engine or the other listeners
                listeners.remove(l);
            }
        }
    }
}
