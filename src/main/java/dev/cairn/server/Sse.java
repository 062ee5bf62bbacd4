package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;

/** Server-sent-event framing: every frame ends with the blank line that dispatches it. */
final class Sse {
    private Sse() {
    }

    static String data(JsonNode json) {
        return "data: " + Json.write(json) + "\n\n";
    }

    static String data(String raw) {
        return "data: " + raw + "\n\n";
    }

    static String event(String name, JsonNode json) {
        return "event: " + name + "\ndata: " + Json.write(json) + "\n\n";
    }

    /** A comment line: every SSE client (and both official SDKs) skips it. */
    static String comment(String text) {
        return ": " + text + "\n\n";
    }
}
