package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /v1/requests/events: every request's lifecycle, whoever sent it, behind the API key. */
class ActivityStreamTest {
    static final String KEY = "activity-key";

    static ServerFixture start() {
        return new ServerFixture(TestModels::larger, new EngineOptions(1, QueueAndCancelTest.CHUNK, 2048, 2),
                ServerOptions.defaults().withApiKey(KEY).withTiming(50, 1));
    }

    record Event(String name, JsonNode data) {
    }

    /** One subscriber's stream, read event by event (comments are counted, not returned). */
    static final class Subscriber implements AutoCloseable {
        final ServerFixture.RawStream raw;
        int keepAlives;

        Subscriber(ServerFixture fx) throws Exception {
            raw = fx.raw("GET", "/v1/requests/events", "localhost:" + fx.server.port(), null,
                    "Authorization", "Bearer " + KEY);
            assertThat(raw.status).isEqualTo(200);
            assertThat(raw.headers.get("content-type")).startsWith("text/event-stream");
        }

        Event next() throws Exception {
            String name = null;
            String line;
            while ((line = raw.readLine()) != null) {
                if (line.equals(": keep-alive")) {
                    keepAlives++;
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    return new Event(name, Frames.parse(line.substring(6)));
                }
            }
            throw new AssertionError("the activity stream ended");
        }

        /** The request states before {@code event: ready}. */
        List<JsonNode> snapshot() throws Exception {
            List<JsonNode> states = new ArrayList<>();
            for (Event e = next(); !e.name().equals("ready"); e = next()) {
                assertThat(e.name()).isEqualTo("request");
                states.add(e.data());
            }
            return states;
        }

        /** The next state of request {@code id}. */
        JsonNode nextOf(String id) throws Exception {
            while (true) {
                Event e = next();
                if (e.name().equals("request") && e.data().get("id").asText().equals(id)) {
                    return e.data();
                }
            }
        }

        @Override
        public void close() throws Exception {
            raw.close();
        }
    }

    @Test
    void everyRequestsLifecycleWithWhoSentItAndALateSubscriberSeesItMidway() throws Exception {
        try (ServerFixture fx = start(); Subscriber watch = new Subscriber(fx)) {
            assertThat(watch.snapshot()).isEmpty();
            String prompt = QueueAndCancelTest.longPrompt(300, "watched");
            try (ServerFixture.RawStream a = fx.raw("POST", "/v1/chat/completions", "localhost:" + fx.server.port(),
                    QueueAndCancelTest.chat(prompt, 40), "Authorization", "Bearer " + KEY,
                    "User-Agent", "curl/8.5.0")) {
                assertThat(a.status).isEqualTo(200);
                JsonNode first = watch.next().data();
                String id = first.get("id").asText();
                assertThat(first.get("phase").asText()).isEqualTo("queued");
                assertThat(first.get("endpoint").asText()).isEqualTo("/v1/chat/completions");
                assertThat(first.get("model").asText()).isEqualTo(fx.server.modelId());
                assertThat(first.get("client").asText()).isEqualTo("127.0.0.1");
                assertThat(first.get("user_agent").asText()).isEqualTo("curl/8.5.0");
                // prefill: the processed count rises chunk by chunk, with a rate and an ETA after the first chunk
                List<Integer> processed = new ArrayList<>();
                JsonNode s = watch.nextOf(id);
                int total = s.get("prompt_tokens").asInt();
                assertThat(total).isGreaterThan(10 * QueueAndCancelTest.CHUNK);
                while (s.get("phase").asText().equals("prefill")) {
                    processed.add(s.get("processed_tokens").asInt());
                    if (processed.size() == 3) {
                        assertThat(s.get("prefill_tokens_per_second").asDouble()).isPositive();
                        assertThat(s.get("eta_ms").isNumber()).isTrue();
                        // a late subscriber first hears the request as it is now
                        try (Subscriber late = new Subscriber(fx)) {
                            List<JsonNode> now = late.snapshot();
                            assertThat(now).hasSize(1);
                            assertThat(now.getFirst().get("id").asText()).isEqualTo(id);
                            assertThat(now.getFirst().get("phase").asText()).isIn("prefill", "decode");
                            assertThat(now.getFirst().get("processed_tokens").asInt()).isGreaterThan(0);
                            assertThat(now.getFirst().get("user_agent").asText()).isEqualTo("curl/8.5.0");
                        }
                    }
                    s = watch.nextOf(id);
                }
                assertThat(processed.size()).isGreaterThan(5);
                assertThat(processed).isSorted();
                assertThat(processed.getLast()).isEqualTo(total);
                assertThat(s.get("phase").asText()).isEqualTo("decode");
                assertThat(s.get("generated_tokens").asInt()).isEqualTo(1);
                assertThat(s.get("ttft_ms").asLong()).isPositive();
                // decoding: updates now and then, not one per token, with a rate
                int updates = 0;
                JsonNode d = watch.nextOf(id);
                for (; d.get("phase").asText().equals("decode"); d = watch.nextOf(id)) {
                    updates++;
                    assertThat(d.get("decode_tokens_per_second").asDouble()).isPositive();
                }
                assertThat(updates).isLessThan(39);
                assertThat(d.get("phase").asText()).isEqualTo("done");
                assertThat(d.get("finish_reason").asText()).isIn("length", "eos");
                assertThat(d.at("/usage/prompt_tokens").asInt()).isEqualTo(total);
                assertThat(d.at("/usage/completion_tokens").asInt()).isEqualTo(d.get("generated_tokens").asInt());
                assertThat(Frames.of(a.readAll()).data().getLast().data()).isEqualTo("[DONE]");
                // a later subscriber finds it among the finished
                try (Subscriber after = new Subscriber(fx)) {
                    List<JsonNode> now = after.snapshot();
                    assertThat(now).extracting(n -> n.get("id").asText()).containsExactly(id);
                    assertThat(now.getFirst().get("phase").asText()).isEqualTo("done");
                }
            }
        }
    }

    @Test
    void queuedAndCancelledRequestsShowTheirPositionAndEnd() throws Exception {
        try (ServerFixture fx = start(); Subscriber watch = new Subscriber(fx)) {
            watch.snapshot();
            String auth = "Bearer " + KEY;
            try (ServerFixture.RawStream a = fx.raw("POST", "/v1/chat/completions", "localhost:" + fx.server.port(),
                    QueueAndCancelTest.chat(QueueAndCancelTest.longPrompt(10, "one"), 1500), "Authorization", auth);
                 ServerFixture.RawStream b = fx.raw("POST", "/v1/messages", "localhost:" + fx.server.port(),
                         "{\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"two\"}]}",
                         "x-api-key", KEY)) {
                QueueAndCancelTest.readUntil(b, ": queued ");
                String bId = null;
                JsonNode s;
                do {
                    s = watch.next().data();
                } while (!(s.get("endpoint").asText().equals("/v1/messages") && s.get("position").asInt() == 1));
                bId = s.get("id").asText();
                assertThat(s.get("phase").asText()).isEqualTo("queued");
                String aId = fx.get("/v1/requests", "Authorization", auth).json().at("/data/0/id").asText();
                assertThat(fx.post("/v1/requests/" + aId + "/cancel", "", "Authorization", auth).status())
                        .isEqualTo(200);
                JsonNode aEnd;
                do {
                    aEnd = watch.nextOf(aId);
                } while (!aEnd.has("usage"));
                assertThat(aEnd.get("phase").asText()).isEqualTo("cancelled");
                assertThat(aEnd.get("finish_reason").asText()).isEqualTo("cancelled");
                JsonNode bEnd;
                do {
                    bEnd = watch.nextOf(bId);
                } while (!bEnd.has("usage"));
                assertThat(bEnd.get("phase").asText()).isEqualTo("done");
                assertThat(bEnd.at("/usage/completion_tokens").asInt()).isBetween(1, 5);
            }
        }
    }

    @Test
    void theStreamWantsTheApiKeyAndKeepsAliveWhenIdle() throws Exception {
        try (ServerFixture fx = start()) {
            assertThat(fx.get("/v1/requests/events").status()).isEqualTo(401);
            assertThat(fx.get("/v1/requests/events", "Authorization", "Bearer wrong").status()).isEqualTo(401);
            try (Subscriber watch = new Subscriber(fx)) {
                assertThat(watch.snapshot()).isEmpty();
                // nothing happens: the next thing on the wire is a keep-alive comment, then the request that follows
                assertThat(watch.raw.readLine()).isEmpty(); // the end of the ready frame
                assertThat(watch.raw.readLine()).isEqualTo(": keep-alive");
                assertThat(fx.post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":2}",
                        "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
                assertThat(watch.next().data().get("endpoint").asText()).isEqualTo("/v1/completions");
            }
        }
    }
}
