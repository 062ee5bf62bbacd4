package dev.cairn.engine;

/** Receives a generation's events in order, as they happen, on an engine thread: must not block for long. */
@FunctionalInterface
public interface EventSink {
    void accept(EngineEvent event);
}
