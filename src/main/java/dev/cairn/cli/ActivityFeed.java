package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running server's activity stream (GET /v1/requests/events), as {@code cairn ps} and {@code cairn top} read it:
 * every request's latest state by id, the ones in flight and the last few finished.
 */
final class ActivityFeed {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Finished requests kept for display, newest last. */
    static final int KEEP_FINISHED = 5;

    private final Map<String, JsonNode> inFlight = new LinkedHashMap<>();
    private final List<JsonNode> finished = new ArrayList<>();

    /**
     * Connects and calls {@code onChange} after the first snapshot and after every later change, until the server
     * ends the stream or {@code onChange} returns false.
     *
     * @throws IllegalStateException with a one-line reason when the server cannot be reached or refuses
     */
    void follow(String url, String apiKey, java.util.function.Predicate<ActivityFeed> onChange)
            throws IOException, InterruptedException {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/v1/requests/events"))
                .header("Accept", "text/event-stream").GET();
        if (apiKey != null && !apiKey.isBlank()) {
            req.header("Authorization", "Bearer " + apiKey);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach a cairn server at " + base + " (is `cairn serve` running? "
                    + "--url names another)");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            if (res.statusCode() != 200) {
                throw new IllegalStateException(refusal(res.statusCode(), in));
            }
            boolean ready = false;
            String event = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    if ("request".equals(event)) {
                        accept(JSON.readTree(line.substring(6)));
                    } else if ("ready".equals(event)) {
                        ready = true;
                    }
                    event = null;
                    if (ready && !onChange.test(this)) {
                        return;
                    }
                }
            }
        }
    }

    private static String refusal(int status, BufferedReader in) throws IOException {
        StringBuilder body = new StringBuilder();
        for (String l; (l = in.readLine()) != null && body.length() < 2000; ) {
            body.append(l);
        }
        String message = body.toString();
        try {
            JsonNode m = JSON.readTree(message).at("/error/message");
            if (m.isTextual()) {
                message = m.asText();
            }
        } catch (IOException notJson) {
            // keep the raw text
        }
        return "the server answered " + status + ": " + message
                + (status == 401 ? " (pass --api-key or set CAIRN_API_KEY)" : "");
    }

    /** Takes one request state: it replaces the one under its id. */
    void accept(JsonNode state) {
        String id = state.path("id").asText();
        String phase = state.path("phase").asText();
        if (phase.equals("done") || phase.equals("cancelled") || phase.equals("failed")) {
            inFlight.remove(id);
            finished.removeIf(f -> f.path("id").asText().equals(id));
            finished.add(state);
            while (finished.size() > KEEP_FINISHED) {
                finished.removeFirst();
            }
        } else {
            inFlight.put(id, state);
        }
    }

    List<JsonNode> inFlight() {
        return new ArrayList<>(inFlight.values());
    }

    List<JsonNode> finished() {
        return new ArrayList<>(finished);
    }
}
