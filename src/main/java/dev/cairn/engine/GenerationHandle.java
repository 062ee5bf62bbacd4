package dev.cairn.engine;

/** A submitted generation. */
public interface GenerationHandle {
    String id();

    /** Stops the generation within one prefill chunk or one decode step; it then ends with Done(CANCELLED). */
    void cancel();
}
