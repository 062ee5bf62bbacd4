package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refusals that happen in the HTTP layer, before a handler runs (headers too large, broken framing), answer in the
 * endpoint's JSON error shape, and a client that goes away mid-body is one log line, not a stack trace.
 */
class HttpLayerErrorsTest {
    static ServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, 16, 256, 1), ServerOptions.defaults());
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    record Raw(int status, String head, String body) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    /** Sends {@code request} as is and reads the whole answer (the server closes after an error). */
    static Raw send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", fx.server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            int status = head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Raw(status, head, body);
        }
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            int len = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (len == 0) {
                break;
            }
            out.append(body, eol + 2, eol + 2 + len);
            at = eol + 2 + len + 2;
        }
        return out.toString();
    }

    static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                + "\r\n" + body;
    }

    /** The server's log lines (stderr) written while {@code action} runs. */
    static final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    static String logDuring(ThrowingRunnable action) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = captured;
        buf.reset();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static void assertOpenAiError(Raw r, int status, String message) throws IOException {
        assertThat(r.status()).as(r.head()).isEqualTo(status);
        assertThat(r.head().toLowerCase()).contains("content-type: application/json");
        assertThat(r.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(r.json().path("error").path("message").asText()).contains(message);
    }

    @Test
    void headersTooLargeIs431InTheEndpointsShape() throws Exception {
        String big = "X-Big: " + "a".repeat(20_000) + "\r\n";
        String[] log = new String[1];
        Raw[] replies = new Raw[2];
        log[0] = logDuring(() -> {
            replies[0] = send(post("/v1/chat/completions", big + "Content-Length: 2\r\n", "{}"));
            replies[1] = send(post("/v1/messages", big + "Content-Length: 2\r\n", "{}"));
        });
        assertOpenAiError(replies[0], 431, "headers are too large");
        Raw anthropic = replies[1];
        assertThat(anthropic.status()).isEqualTo(431);
        assertThat(anthropic.json().path("type").asText()).isEqualTo("error");
        assertThat(anthropic.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(log[0].lines().filter(l -> l.contains("status=431"))).hasSize(2);
        assertThat(log[0]).doesNotContain("\tat ");
    }

    @Test
    void brokenFramingIs400InTheEndpointsShapeWithoutAStackTrace() throws Exception {
        Raw[] r = new Raw[3];
        String log = logDuring(() -> {
            r[0] = send(post("/v1/chat/completions", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                    "2\r\n{}\r\n0\r\n\r\n"));
            r[1] = send(post("/v1/chat/completions", "Transfer-Encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n"));
            // A body shorter than its Content-Length, the client then half-closing: it still reads the answer.
            r[2] = send(post("/v1/chat/completions", "Content-Length: 1000\r\n", "{\"messages\":"));
        });
        assertOpenAiError(r[0], 400, "not valid HTTP");
        assertOpenAiError(r[1], 400, "");
        assertOpenAiError(r[2], 400, "ended early");
        assertThat(log).doesNotContain("\tat ").doesNotContain("ERROR").doesNotContain("status=500");
        assertThat(log.lines().filter(l -> l.contains("status=400"))).hasSize(3);
    }

    @Test
    void aClientHangingUpMidBodyIsOneLogLine() throws Exception {
        String log = logDuring(() -> {
            for (int i = 0; i < 5; i++) {
                try (Socket s = new Socket("127.0.0.1", fx.server.port())) {
                    s.setSoLinger(true, 0);
                    s.getOutputStream().write(post("/v1/chat/completions", "Content-Length: 100000\r\n",
                            "{\"messages\":[").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                }
            }
            // Each hang-up ends its request with a log line; wait for the fifth (or fail on the count below).
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("/v1/chat/completions"))
                    .count() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        });
        assertThat(log).doesNotContain("\tat ").doesNotContain("ERROR");
        assertThat(log.lines().filter(l -> l.contains("/v1/chat/completions"))).hasSize(5)
                .allMatch(l -> l.contains("status=400") && l.contains("ended early"));
    }

    @Test
    void jsonSyntaxErrorsNameLineAndColumnInPlainWords() throws Exception {
        Raw nan = send(post("/v1/chat/completions", "Content-Length: 10\r\n", "{\"a\": NaN}"));
        assertOpenAiError(nan, 400, "line 1, column");
        assertThat(nan.json().path("error").path("message").asText()).doesNotContain("`").doesNotContain("JsonReadFeature");
        String body = "{\"a\":\n  [1,}\n";
        Raw bad = send(post("/v1/chat/completions", "Content-Length: " + body.length() + "\r\n", body));
        assertOpenAiError(bad, 400, "line 2, column");
        assertThat(bad.json().path("error").path("message").asText()).doesNotContain("Source").doesNotContain("`");
    }
}
