package dev.cairn.engine;

/** A request the engine refuses before doing any work (e.g. prompt longer than the context); message is for clients. */
public class RequestRejectedException extends RuntimeException {
    public RequestRejectedException(String message) {
        super(message);
    }
}
