package dev.cairn.server;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The raw byte stream of one SSE response. Headers go out with the first frame; every frame is flushed at once so a
 * progress line reaches the client the moment it is produced. A failed write means the client is gone.
 */
final class SseOutput {
    private final HttpServletResponse response;
    private OutputStream out;
    private long lastWriteNanos = System.nanoTime();

    SseOutput(HttpServletResponse response) {
        this.response = response;
    }

    boolean opened() {
        return out != null;
    }

    void send(String frames) throws IOException {
        if (frames.isEmpty()) {
            return;
        }
        if (out == null) {
            response.setStatus(200);
            response.setContentType("text/event-stream; charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            out = response.getOutputStream();
        }
        out.write(frames.getBytes(StandardCharsets.UTF_8));
        out.flush();
        lastWriteNanos = System.nanoTime();
    }

    /**
     * Completes the response now (the last chunk goes out), rather than after the handler returns: a graceful stop
     * that waits for handlers must not close the connection before the client has the end of the stream.
     */
    void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }

    long millisSinceLastWrite() {
        return (System.nanoTime() - lastWriteNanos) / 1_000_000;
    }
}
