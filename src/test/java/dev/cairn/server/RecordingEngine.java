package dev.cairn.server;

import dev.cairn.engine.Engine;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.GenerationHandle;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.engine.ModelBundle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes everything to the real engine and keeps each request's events, so tests can see what the engine did. */
final class RecordingEngine implements Engine {
    record Timed(long nanos, EngineEvent event) {
    }

    private final Engine engine;
    final Map<String, List<Timed>> events = new ConcurrentHashMap<>();
    /** Every request the server submitted, in order (their prompts show what the template made of a conversation). */
    final List<GenerationRequest> submitted = new CopyOnWriteArrayList<>();
    /** When the server cancelled each request through its handle. */
    final Map<String, Long> handleCancelled = new ConcurrentHashMap<>();

    RecordingEngine(Engine engine) {
        this.engine = engine;
    }

    List<Timed> eventsOf(String id) {
        return events.getOrDefault(id, List.of());
    }

    @Override
    public ModelBundle model() {
        return engine.model();
    }

    @Override
    public void validate(GenerationRequest request) {
        engine.validate(request);
    }

    @Override
    public GenerationHandle submit(GenerationRequest request, dev.cairn.engine.EventSink sink) {
        submitted.add(request);
        List<Timed> list = events.computeIfAbsent(request.id(), k -> new CopyOnWriteArrayList<>());
        GenerationHandle handle = engine.submit(request, e -> {
            list.add(new Timed(System.nanoTime(), e));
            sink.accept(e);
        });
        return new GenerationHandle() {
            @Override
            public String id() {
                return handle.id();
            }

            @Override
            public void cancel() {
                handleCancelled.putIfAbsent(request.id(), System.nanoTime());
                handle.cancel();
            }
        };
    }

    @Override
    public boolean cancel(String id) {
        return engine.cancel(id);
    }

    @Override
    public dev.cairn.engine.RequestTracker tracker() {
        return engine.tracker();
    }

    @Override
    public void shutdown(Duration grace) {
        engine.shutdown(grace);
    }

    @Override
    public void close() {
        engine.close();
    }
}
