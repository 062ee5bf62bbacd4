package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.EngineOptions;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Queue positions, keep-alives, disconnects, the cancel endpoint, the queue bound and graceful shutdown. */
class QueueAndCancelTest {
    static final int CHUNK = 8;

    static ServerFixture start(ServerOptions options) {
        return new ServerFixture(TestModels::larger, new EngineOptions(1, CHUNK, 2048, 2),
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
        try (ServerFixture fx = start(ServerOptions.defaults().withTiming(50, 10))) {
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(30, "first"), 1500))) {
                String aId = Frames.parse(readUntil(a, "data: ").substring(6)).get("id").asText();
                try (ServerFixture.RawStream b = open(fx, "/v1/chat/completions", chat(longPrompt(20, "second"), 4))) {
                    // the queue line is the very first frame, then it repeats every 50 ms while A runs
                    assertThat(b.readLine()).startsWith(": queued {");
                    assertThat(b.readLine()).isEmpty();
                    assertThat(b.readLine()).startsWith(": queued {");
                    assertThat(b.readLine()).isEmpty();
                    // free the slot: B runs to completion
                    assertThat(fx.post("/v1/requests/" + aId + "/cancel", "").status()).isEqualTo(200);
                    Frames fb = Frames.of(b.readAll());
                    List<Frames.Frame> queued = new java.util.ArrayList<>(fb.comments("queued"));
                    String id = fb.data().getFirst().dataJson().get("id").asText();
                    for (Frames.Frame q : queued) {
                        JsonNode j = q.commentJson();
                        assertThat(StreamWireTest.fieldNames(j)).containsExactly("request_id", "position");
                        assertThat(j.get("request_id").asText()).isEqualTo(id);
                        assertThat(j.get("position").asInt()).isEqualTo(1);
                    }
                    // any further queue lines come before the first progress line; the stream completes normally
                    if (!queued.isEmpty()) {
                        assertThat(fb.indexOf(queued.getLast()))
                                .isLessThan(fb.indexOf(fb.comments("prefill_progress").getFirst()));
                    }
                    assertThat(fb.data().getLast().data()).isEqualTo("[DONE]");
                }
            }
        }
    }

    @Test
    void queuePositionsCountTheRequestsAhead() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults().withTiming(50, 10))) {
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(10, "p1"), 1500));
                 ServerFixture.RawStream b = open(fx, "/v1/chat/completions", chat(longPrompt(10, "p2"), 1500))) {
                String aId = Frames.parse(readUntil(a, "data: ").substring(6)).get("id").asText();
                String first = readUntil(b, ": queued ");
                try (ServerFixture.RawStream c = open(fx, "/v1/chat/completions", chat(longPrompt(10, "p3"), 2))) {
                    JsonNode q = Frames.parse(readUntil(c, ": queued ").substring(9));
                    assertThat(q.get("position").asInt()).isEqualTo(2);
                    JsonNode list = fx.get("/v1/requests").json().get("data");
                    assertThat(list).hasSize(3);
                    assertThat(list.get(0).get("phase").asText()).isEqualTo("decode");
                    assertThat(list.get(1).get("phase").asText()).isEqualTo("queued");
                    assertThat(list.get(1).get("position").asInt()).isEqualTo(1);
                    assertThat(list.get(2).get("position").asInt()).isEqualTo(2);
                    assertThat(Frames.parse(first.substring(9)).get("position").asInt()).isEqualTo(1);
                    String bId = list.get(1).get("id").asText();
                    fx.post("/v1/requests/" + aId + "/cancel", "");
                    fx.post("/v1/requests/" + bId + "/cancel", "");
                    // C moves up to position 1, then runs
                    JsonNode moved = null;
                    String l;
                    while ((l = c.readLine()) != null && !l.startsWith("data: ")) {
                        if (l.startsWith(": queued ")) {
                            moved = Frames.parse(l.substring(9));
                        }
                    }
                    assertThat(moved).isNotNull();
                    assertThat(moved.get("position").asInt()).isEqualTo(1);
                    assertThat(rest(c).data().getLast().data()).isEqualTo("[DONE]");
                }
            }
        }
    }

    @Test
    void silenceIsBrokenByKeepAliveComments() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults().withTiming(60_000, 1))) {
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(10, "long"), 1500))) {
                String aId = Frames.parse(readUntil(a, "data: ").substring(6)).get("id").asText();
                try (ServerFixture.RawStream b = open(fx, "/v1/chat/completions", chat(longPrompt(10, "wait"), 2))) {
                    assertThat(b.readLine()).startsWith(": queued {");
                    assertThat(b.readLine()).isEmpty();
                    long t0 = System.nanoTime();
                    assertThat(b.readLine()).isEqualTo(": keep-alive");
                    assertThat(b.readLine()).isEmpty();
                    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(700L, 3000L);
                    fx.post("/v1/requests/" + aId + "/cancel", "");
                    assertThat(Frames.of(b.readAll()).data().getLast().data()).isEqualTo("[DONE]");
                }
            }
        }
    }

    @Test
    void disconnectMidPrefillStopsTheWorkAndFreesTheSlot() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults())) {
            String id;
            int total;
            try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(1200, "bye"), 50))) {
                JsonNode first = Frames.parse(readUntil(a, ": prefill_progress").substring(19));
                id = first.get("request_id").asText();
                total = first.get("total_tokens").asInt();
                assertThat(total).isGreaterThan(20 * CHUNK);
                readUntil(a, ": prefill_progress");
            } // hang up
            long closedAt = System.nanoTime();
            long deadline = System.currentTimeMillis() + 20_000;
            while (fx.recorder.eventsOf(id).stream().noneMatch(t -> t.event() instanceof EngineEvent.Done)) {
                assertThat(System.currentTimeMillis()).as("engine never ended the request").isLessThan(deadline);
                Thread.sleep(5);
            }
            List<RecordingEngine.Timed> events = fx.recorder.eventsOf(id);
            EngineEvent.Done done = (EngineEvent.Done) events.getLast().event();
            assertThat(done.reason()).isEqualTo(EngineEvent.FinishReason.CANCELLED);
            assertThat(done.generatedTokens()).isZero();
            EngineEvent.PrefillProgress last = events.stream().map(RecordingEngine.Timed::event)
                    .filter(e -> e instanceof EngineEvent.PrefillProgress).map(e -> (EngineEvent.PrefillProgress) e)
                    .reduce((x, y) -> y).orElseThrow();
            // it stopped mid-prefill, within a few chunks of the hang-up
            assertThat(last.processedTokens()).isLessThan(total);
            // the server noticed the hang-up and cancelled; the engine then ran at most one more chunk
            Long cancelledAt = fx.recorder.handleCancelled.get(id);
            assertThat(cancelledAt).isNotNull();
            long chunksAfterCancel = events.stream().filter(t -> t.nanos() > cancelledAt
                    && t.event() instanceof EngineEvent.PrefillProgress).count();
            assertThat(chunksAfterCancel).isLessThanOrEqualTo(1);
            System.out.printf("disconnect: noticed %d ms after the hang-up, %d of %d tokens processed%n",
                    (cancelledAt - closedAt) / 1_000_000, last.processedTokens(), total);
            assertThat(fx.get("/v1/requests").json().get("data").isEmpty()).isTrue();
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
    void aNonStreamingClientThatHangsUpMidPrefillIsCancelled() throws Exception {
        // Jetty cannot see this hang-up (nothing is written before the answer); the kernel's TCP table can, on Linux
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        try (ServerFixture fx = start(ServerOptions.defaults())) {
            // a long prompt and a long answer: far more work than the time it takes to notice the hang-up
            String body = chat(longPrompt(1200, "gone"), 2000).replace("\"stream\":true", "\"stream\":false");
            String id = null;
            int total = 0;
            try (Socket client = new Socket("127.0.0.1", fx.server.port())) {
                byte[] payload = body.getBytes(StandardCharsets.UTF_8);
                client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost:"
                        + fx.server.port() + "\r\nContent-Length: " + payload.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().write(payload);
                client.getOutputStream().flush();
                long deadline = System.currentTimeMillis() + 20_000;
                while (id == null || fx.recorder.eventsOf(id).stream()
                        .noneMatch(t -> t.event() instanceof EngineEvent.PrefillProgress p && p.processedTokens() > 0)) {
                    assertThat(System.currentTimeMillis()).as("request never started").isLessThan(deadline);
                    JsonNode list = fx.get("/v1/requests").json().get("data");
                    if (!list.isEmpty()) {
                        id = list.get(0).get("id").asText();
                        total = list.get(0).get("total_tokens").asInt();
                    }
                    Thread.sleep(5);
                }
            } // hang up
            long closedAt = System.nanoTime();
            String requestId = id;
            long deadline = System.currentTimeMillis() + 20_000;
            while (fx.recorder.eventsOf(requestId).stream().noneMatch(t -> t.event() instanceof EngineEvent.Done)) {
                assertThat(System.currentTimeMillis()).as("engine never ended the request").isLessThan(deadline);
                Thread.sleep(5);
            }
            EngineEvent.Done done = (EngineEvent.Done) fx.recorder.eventsOf(requestId).getLast().event();
            assertThat(done.reason()).isEqualTo(EngineEvent.FinishReason.CANCELLED);
            int processed = fx.recorder.eventsOf(requestId).stream().map(RecordingEngine.Timed::event)
                    .filter(e -> e instanceof EngineEvent.PrefillProgress).mapToInt(e ->
                            ((EngineEvent.PrefillProgress) e).processedTokens()).max().orElseThrow();
            Long cancelledAt = fx.recorder.handleCancelled.get(requestId);
            assertThat(cancelledAt).as("the server cancelled it").isNotNull();
            System.out.printf("non-streaming hang-up: noticed %d ms after, %d of %d prompt tokens processed, %d generated%n",
                    (cancelledAt - closedAt) / 1_000_000, processed, total, done.generatedTokens());
            assertThat(done.generatedTokens()).isLessThan(2048 - total);
            assertThat(fx.get("/v1/requests").json().get("data").isEmpty()).isTrue();
        }
    }

    @Test
    void cancellingANonStreamingRequestAnswersWithAnError() throws Exception {
        try (ServerFixture fx = start(ServerOptions.defaults())) {
            CompletableFuture<ServerFixture.Reply> reply = CompletableFuture.supplyAsync(() -> fx.post(
                    "/v1/messages", "{\"max_tokens\":1500,\"messages\":[{\"role\":\"user\",\"content\":\"go on\"}]}"));
            String id = null;
            long deadline = System.currentTimeMillis() + 20_000;
            while (id == null) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                JsonNode list = fx.get("/v1/requests").json().get("data");
                if (!list.isEmpty()) {
                    id = list.get(0).get("id").asText();
                }
                Thread.sleep(10);
            }
            assertThat(id).startsWith("msg_");
            assertThat(fx.post("/v1/requests/" + id + "/cancel", "").status()).isEqualTo(200);
            String msg = BadInputTest.anthropicError(reply.get(), 409, "invalid_request_error");
            assertThat(msg).isEqualTo("request " + id + " was cancelled");
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
        try (ServerFixture.RawStream a = open(fx, "/v1/chat/completions", chat(longPrompt(10, "grace"), 60))) {
            String id = Frames.parse(readUntil(a, "data: ").substring(6)).get("id").asText();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> fx.server.stop(Duration.ofSeconds(20)));
            // the stop has begun once health says so; the running request is still decoding then
            while (!fx.get("/health").json().get("status").asText().equals("shutting_down")) {
                Thread.onSpinWait();
            }
            ServerFixture.Reply refused = fx.post("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().at("/error/message").asText()).contains("shutting down");
            assertThat(fx.engine.tracker().get(id)).as("the running request was still running").isNotNull();
            Frames rest = rest(a);
            assertThat(rest.data().getLast().data()).isEqualTo("[DONE]");
            // it ran to its end: its last chunk before [DONE] has a finish reason, not an error
            JsonNode fin = rest.data().get(rest.data().size() - 2).dataJson();
            assertThat(fin.at("/choices/0/finish_reason").asText()).isIn("length", "stop");
            stopping.get();
        } finally {
            fx.close();
        }
    }
}
