package dev.cairn.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A scripted stand-in for cairn's HTTP API, serving the real dashboard files from the classpath: each test says
 * what the next /v1/chat/completions stream contains (progress, queue positions, tokens, errors) and inspects
 * what the page sent. The real server is exercised by {@link DashboardBrowserTest}.
 */
final class FakeApi implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One streamed answer, written by a test. */
    interface Script {
        void run(Stream s, JsonNode requestBody) throws IOException, InterruptedException;
    }

    /** The open SSE response of one request. */
    final class Stream {
        private final OutputStream out;
        final String id;

        Stream(OutputStream out, String id) {
            this.out = out;
            this.id = id;
        }

        void event(String name, String json) throws IOException {
            write("event: " + name + "\ndata: " + json + "\n\n");
        }

        void progress(int processed, int total, int cached, Double rate, Long etaMs) throws IOException {
            event("prefill_progress", "{\"request_id\":\"" + id + "\",\"model\":\"fake-model\",\"processed_tokens\":"
                    + processed + ",\"total_tokens\":" + total + ",\"cached_tokens\":" + cached + ",\"elapsed_ms\":1,"
                    + "\"tokens_per_second\":" + rate + ",\"eta_ms\":" + etaMs + "}");
        }

        void queued(int position) throws IOException {
            event("queued", "{\"request_id\":\"" + id + "\",\"position\":" + position + "}");
        }

        void token(String text) throws IOException {
            data("{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                    + JSON.writeValueAsString(text) + "},\"finish_reason\":null}]}");
        }

        void finish(int promptTokens, int cached, int completionTokens) throws IOException {
            data("{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                    + "\"finish_reason\":\"stop\"}]}");
            data("{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                    + promptTokens + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":"
                    + (promptTokens + completionTokens) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}}}");
            data("[DONE]");
        }

        void data(String payload) throws IOException {
            write("data: " + payload + "\n\n");
        }

        void comment(String text) throws IOException {
            write(": " + text + "\n\n");
        }

        boolean cancelled() {
            return cancels.contains(id);
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    final HttpServer server;
    final List<JsonNode> chatBodies = new CopyOnWriteArrayList<>();
    final List<String> cancels = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final Set<String> disconnected = ConcurrentHashMap.newKeySet();
    volatile String apiKey;
    volatile Script script;
    /** 400 with this message instead of a stream while the request carries more than this many messages. */
    volatile String contextError;
    volatile int contextLimitMessages = Integer.MAX_VALUE;
    private int nextId = 1;

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/v1/")) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                authorizations.add(path + " " + auth);
                if (apiKey != null && !("Bearer " + apiKey).equals(auth)) {
                    json(ex, 401, "{\"error\":{\"message\":\"invalid or missing API key\",\"type\":\"authentication_error\"}}");
                    return;
                }
            }
            if (path.equals("/v1/models")) {
                json(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\",\"object\":\"model\",\"created\":0,"
                        + "\"owned_by\":\"cairn\"}]}");
            } else if (path.equals("/v1/chat/completions")) {
                chat(ex);
            } else if (path.startsWith("/v1/requests/") && path.endsWith("/cancel")) {
                String id = path.substring("/v1/requests/".length(), path.length() - "/cancel".length());
                cancels.add(id);
                json(ex, 200, "{\"id\":\"" + id + "\",\"cancelled\":true}");
            } else {
                staticFile(ex, path.equals("/") ? "index.html" : path.substring(1));
            }
        }
    }

    private void chat(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        chatBodies.add(body);
        if (contextError != null && body.path("messages").size() > contextLimitMessages) {
            json(ex, 400, "{\"error\":{\"message\":" + JSON.writeValueAsString(contextError)
                    + ",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":null}}");
            return;
        }
        String id;
        synchronized (this) {
            id = "chatcmpl-fake" + nextId++;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        try {
            script.run(new Stream(ex.getResponseBody(), id), body);
        } catch (IOException e) {
            disconnected.add(id); // the page closed the stream (Stop)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void staticFile(HttpExchange ex, String name) throws IOException {
        try (InputStream in = FakeApi.class.getResourceAsStream("/cairn/dashboard/" + name)) {
            if (in == null || name.contains("..")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] b = in.readAllBytes();
            String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript"
                    : name.endsWith(".css") ? "text/css" : "application/octet-stream";
            ex.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        }
    }
}
