package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** A real server on a free port over a real LocalEngine, plus raw-HTTP helpers for tests. */
final class ServerFixture implements AutoCloseable {
    final ModelBundle bundle;
    final LocalEngine engine;
    final RecordingEngine recorder;
    final CairnServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerFixture(IntFunction<ModelBundle> bundle, EngineOptions engineOptions, ServerOptions options) {
        this(bundle, engineOptions, options, dev.cairn.chat.ChatTurns::plan);
    }

    /** With {@code planner} instead of the chat layer's (e.g. a {@link StandInPlanner}). */
    ServerFixture(IntFunction<ModelBundle> bundle, EngineOptions engineOptions, ServerOptions options,
                  TurnPlanner planner) {
        this.bundle = bundle.apply(engineOptions.ctxSize());
        this.engine = new LocalEngine(this.bundle, engineOptions);
        this.recorder = new RecordingEngine(engine);
        this.server = new CairnServer(recorder, options.withPort(0)
                .withEngine(engineOptions.parallel(), engineOptions.prefillChunk(), engineOptions.ctxSize(),
                        engineOptions.threads()), planner).start();
    }

    String base() {
        return server.baseUrl();
    }

    /** The official OpenAI SDK on this server, with strict response validation and no retries. */
    com.openai.client.OpenAIClient openAi(String key) {
        return com.openai.client.okhttp.OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey(key).maxRetries(0)
                .responseValidation(true).build();
    }

    /** The official Anthropic SDK on this server, with strict response validation and no retries. */
    com.anthropic.client.AnthropicClient anthropic(String key) {
        return com.anthropic.client.okhttp.AnthropicOkHttpClient.builder().baseUrl(base()).apiKey(key).maxRetries(0)
                .responseValidation(true).build();
    }

    record Reply(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    Reply post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply send(String method, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private Reply send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A raw HTTP/1.1 exchange over a socket (for Host headers java.net.http refuses to send, and for hanging up
     * mid-stream). Returns the open connection; read it with {@link RawStream}.
     */
    RawStream raw(String method, String path, String host, String body, String... headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(60_000);
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder();
        req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (host != null) {
            req.append("Host: ").append(host).append("\r\n");
        }
        for (int i = 0; i < headers.length; i += 2) {
            req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        req.append("Content-Length: ").append(payload.length).append("\r\n");
        req.append("Connection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.UTF_8));
        out.write(payload);
        out.flush();
        return new RawStream(socket);
    }

    /** Reads a raw HTTP response: status line, headers, then the de-chunked body line by line. */
    static final class RawStream implements AutoCloseable {
        final Socket socket;
        final BufferedReader reader;
        final int status;
        final Map<String, String> headers = new java.util.LinkedHashMap<>();
        private final boolean chunked;
        private final StringBuilder pending = new StringBuilder();
        private boolean ended;

        RawStream(Socket socket) throws IOException {
            this.socket = socket;
            InputStream in = socket.getInputStream();
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String statusLine = reader.readLine();
            if (statusLine == null) {
                throw new IOException("no response");
            }
            status = Integer.parseInt(statusLine.split(" ")[1]);
            String line;
            while ((line = reader.readLine()) != null && !line.isEmpty()) {
                int c = line.indexOf(':');
                headers.put(line.substring(0, c).trim().toLowerCase(), line.substring(c + 1).trim());
            }
            chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        }

        /** The next body line without its "\n", or null at the end of the body. */
        String readLine() throws IOException {
            while (true) {
                int nl = pending.indexOf("\n");
                if (nl >= 0) {
                    String l = pending.substring(0, nl);
                    pending.delete(0, nl + 1);
                    return l;
                }
                if (ended || !fill()) {
                    ended = true;
                    if (pending.isEmpty()) {
                        return null;
                    }
                    String l = pending.toString();
                    pending.setLength(0);
                    return l;
                }
            }
        }

        private boolean fill() throws IOException {
            if (!chunked) {
                char[] buf = new char[4096];
                int n = reader.read(buf);
                if (n < 0) {
                    return false;
                }
                pending.append(buf, 0, n);
                return true;
            }
            String size = reader.readLine();
            if (size == null) {
                throw new IOException("connection closed before the end of the chunked body");
            }
            int n = Integer.parseInt(size.trim(), 16);
            if (n == 0) {
                return false;
            }
            // chunk sizes count bytes; read chars until that many UTF-8 bytes are consumed
            int bytes = 0;
            StringBuilder sb = new StringBuilder();
            while (bytes < n) {
                int ch = reader.read();
                if (ch < 0) {
                    return false;
                }
                sb.append((char) ch);
                bytes += utf8Len((char) ch);
            }
            reader.readLine();
            pending.append(sb);
            return true;
        }

        private static int utf8Len(char c) {
            if (c < 0x80) {
                return 1;
            }
            if (c < 0x800) {
                return 2;
            }
            return Character.isSurrogate(c) ? 2 : 3;
        }

        /** Every remaining body line. */
        List<String> readAll() throws IOException {
            List<String> lines = new ArrayList<>();
            String l;
            while ((l = readLine()) != null) {
                lines.add(l);
            }
            return lines;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        if (bundle.file() != null) {
            bundle.close();
        }
    }
}
