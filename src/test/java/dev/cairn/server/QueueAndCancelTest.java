package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Queue positions, keep-alives, disconnects, the cancel endpoint, the queue bound and graceful shutdown. */
class QueueAndCancelTest {
    static final int CHUNK = 8;

    static ServerFixture start(ServerOptions options) {
        return new ServerFixture(TestModels::slow, new EngineOptions(1, CHUNK, 2048, 1),
                options.withApiKey(null));
    }

    static String longPrompt(int words, String salt) {
        StringBuilder sb = new StringBuilder(salt);
        String[] pool = {"north", "wind", "over", "the", "quiet", "lake", "and", "stone"};
        for (int i = 0; i < words; i++) {
            sb.append(' ').append(pool[(i * 5 + salt.length()) % pool.length]);
        }
        return sb.toString();
    }

    static String chat(String prompt, int maxTokens) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"max_tokens\":" + maxTokens
                + ",\"temperature\":0,\"stream\":true}";
    }

    static ServerFixture.RawStream open(ServerFixture fx, String path, String body) throws Exception {
        ServerFixture.RawStream s = fx.raw("POST", path, "localhost:" + fx.server.port(), body);
        assertThat(s.status).isEqualTo(200);
        return s;
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    static String readUntil(ServerFixture.RawStream s, String prefix) throws Exception {
        String l;
        while ((l = s.readLine()) != null) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        throw new AssertionError("stream ended before a line starting with " + prefix);
    }

    /** The frames after a partly read one (drops the rest of the frame the last readUntil stopped in). */
    static Frames rest(ServerFixture.RawStream s) throws Exception {
        List<String> lines = s.readAll();
        int blank = lines.indexOf("");
        return Frames.of(lines.subList(blank + 1, lines.size()));
    }

    @Test
    void aQueuedRequestHearsItsPositionUntilItRuns() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults().withTiming(150, 10))) {
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(30, "first"), 60))) {
                readUntil(a, ": prefill_progress");
                try (ServerFixture.RawStream b = open(fx, "/v1/chat/completions", chat(longPrompt(20, "second"), 4))) {
                    Frames fb = Frames.of(b.readAll());
                    List<Frames.Frame> queued = fb.comments("queued");
                    assertThat(queued.size()).isGreaterThanOrEqualTo(2);
                    String id = fb.data().getFirst().dataJson().get("id").asText();
                    for (Frames.Frame q : queued) {
                        JsonNode j = q.commentJson();
                        assertThat(StreamWireTest.fieldNames(j)).containsExactly("request_id", "position");
                        assertThat(j.get("request_id").asText()).isEqualTo(id);
                        assertThat(j.get("position").asInt()).isEqualTo(1);
                    }
                    // all queue lines come before the first progress line, and the stream completes normally
                    assertThat(fb.indexOf(queued.getLast()))
                            .isLessThan(fb.indexOf(fb.comments("prefill_progress").getFirst()));
                    assertThat(fb.frames().getFirst().isComment("queued")).isTrue();
                    assertThat(fb.data().getLast().data()).isEqualTo("[DONE]");
                }
                assertThat(rest(a).data().getLast().data()).isEqualTo("[DONE]");
            }
        }
    }

    @Test
    void silenceIsBrokenByKeepAliveComments() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults().withTiming(60_000, 1))) {
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(10, "long"), 150))) {
                readUntil(a, "data: ");
                try (ServerFixture.RawStream b = open(fx, "/v1/chat/completions", chat(longPrompt(10, "wait"), 2))) {
                    Frames fb = Frames.of(b.readAll());
                    assertThat(fb.frames().getFirst().isComment("queued")).isTrue();
                    assertThat(fb.frames()).anyMatch(f -> f.lines().equals(List.of(": keep-alive")));
                    assertThat(fb.data().getLast().data()).isEqualTo("[DONE]");
                }
            }
        }
    }

    @Test
    void disconnectMidPrefillStopsTheWorkAndFreesTheSlot() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults())) {
            String id;
            int total;
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(250, "bye"), 50))) {
                JsonNode first = Frames.parse(readUntil(a, ": prefill_progress").substring(19));
                id = first.get("request_id").asText();
                total = first.get("total_tokens").asInt();
                assertThat(total).isGreaterThan(20 * CHUNK);
                readUntil(a, ": prefill_progress");
            } // hang up
            int lastProcessed = 0;
            long deadline = System.currentTimeMillis() + 20_000;
            while (true) {
                JsonNode list = fx.get("/v1/requests").json().get("data");
                JsonNode mine = null;
                for (JsonNode r : list) {
                    if (r.get("id").asText().equals(id)) {
                        mine = r;
                    }
                }
                if (mine == null) {
                    break;
                }
                lastProcessed = mine.get("processed_tokens").asInt();
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(10);
            }
            // it stopped during prefill, well before the prompt was done
            assertThat(lastProcessed).isLessThan(total - CHUNK);
            // and the one slot serves the next request at once
            ServerFixture.Reply next = fx.post("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}");
            assertThat(next.status()).isEqualTo(200);
            assertThat(fx.get("/v1/requests").json().get("data").isEmpty()).isTrue();
        }
    }

    @Test
    void cancelEndpointEndsAStreamWithAnErrorInTheEndpointsShape() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults())) {
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(10, "c1"), 200))) {
                String id = Frames.parse(readUntil(a, "data: ").substring(6)).get("id").asText();
                JsonNode list = fx.get("/v1/requests").json();
                assertThat(list.get("object").asText()).isEqualTo("list");
                JsonNode r = list.get("data").get(0);
                assertThat(StreamWireTest.fieldNames(r)).containsExactly("id", "model", "phase", "position",
                        "processed_tokens", "total_tokens", "cached_tokens", "created");
                assertThat(r.get("id").asText()).isEqualTo(id);
                assertThat(r.get("phase").asText()).isEqualTo("decode");
                ServerFixture.Reply c = fx.post("/v1/requests/" + id + "/cancel", "");
                assertThat(c.status()).isEqualTo(200);
                assertThat(c.json().get("id").asText()).isEqualTo(id);
                assertThat(c.json().get("cancelled").asBoolean()).isTrue();
                List<Frames.Frame> data = rest(a).data();
                assertThat(data.getLast().data()).isEqualTo("[DONE]");
                JsonNode err = data.get(data.size() - 2).dataJson();
                assertThat(err.at("/error/message").asText()).contains("cancelled");
                ServerFixture.Reply again = fx.post("/v1/requests/" + id + "/cancel", "");
                assertThat(again.status()).isEqualTo(404);
                assertThat(again.json().at("/error/type").asText()).isEqualTo("not_found_error");
            }
            try (ServerFixture.RawStream a = open(fx, "/v1/messages", "{\"max_tokens\":200,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")) {
                String start = readUntil(a, "data: ");
                String id = Frames.parse(start.substring(6)).at("/message/id").asText();
                readUntil(a, "event: content_block_delta");
                assertThat(fx.post("/v1/requests/" + id + "/cancel", "").status()).isEqualTo(200);
                Frames after = rest(a);
                List<Frames.Frame> errors = after.events("error");
                assertThat(errors).hasSize(1);
                assertThat(after.frames().getLast()).isEqualTo(errors.getFirst());
                JsonNode err = errors.getFirst().dataJson();
                assertThat(err.get("type").asText()).isEqualTo("error");
                assertThat(err.at("/error/message").asText()).contains("cancelled");
            }
        }
    }

    @Test
    void beyondTheQueueBoundRequestsAreTurnedAwayInTheEndpointsShape() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults().withMaxQueued(0))) {
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(10, "busy"), 100))) {
                readUntil(a, "data: ");
                ServerFixture.Reply o = fx.post("/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}");
                assertThat(o.status()).isEqualTo(503);
                assertThat(o.json().at("/error/message").asText()).contains("busy");
                ServerFixture.Reply an = fx.post("/v1/messages",
                        "{\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(an.status()).isEqualTo(529);
                assertThat(an.json().get("type").asText()).isEqualTo("error");
                assertThat(an.json().at("/error/type").asText()).isEqualTo("overloaded_error");
            }
        }
    }

    @Test
    void gracefulStopLetsRunningRequestsFinishAndRefusesNewOnes() throws Exception {
        ServerFixture fx = start(ServerOptions.defaults());
        try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(10, "grace"), 20))) {
            readUntil(a, "data: ");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> fx.server.stop(Duration.ofSeconds(20)));
            Thread.sleep(100);
            assertThat(rest(a).data().getLast().data()).isEqualTo("[DONE]");
            stopping.get();
        } finally {
            fx.close();
        }
    }
}
