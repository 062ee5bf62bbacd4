package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.RequestState;
import dev.cairn.engine.RequestTracker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 1: every request ends exactly once, at once, whatever mix of hang-up, API cancel, finishing and
 * shutdown hits it. After each race the request has left /v1/requests, has exactly one log line, and the server's
 * whole capacity (one slot plus one queue place) serves new requests without a false "busy".
 */
class RequestEndRacesTest {
    static final int ROUNDS = 6;
    /** Far under the fixed 10 s the server used to wait for an end it had already read. */
    static final long END_WITHIN_MS = 3000;

    static ServerFixture start() {
        return QueueAndCancelTest.start(ServerOptions.defaults().withMaxQueued(1));
    }

    /** Engine updates, to wait on states instead of sleeping. */
    static final class Updates implements AutoCloseable {
        final RequestTracker tracker;
        final LinkedBlockingQueue<RequestState> states = new LinkedBlockingQueue<>();
        final java.util.function.Consumer<RequestTracker.Update> listener = u -> states.add(u.state());

        Updates(ServerFixture fx) {
            tracker = fx.engine.tracker();
            tracker.subscribe(listener);
        }

        RequestState await(String what, Predicate<RequestState> p) throws InterruptedException {
            long end = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < end) {
                RequestState s = states.poll(end - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
                if (s != null && p.test(s)) {
                    return s;
                }
            }
            throw new AssertionError("no update: " + what);
        }

        @Override
        public void close() {
            tracker.unsubscribe(listener);
        }
    }

    static String idOf(ServerFixture.RawStream s) throws Exception {
        return Frames.parse(QueueAndCancelTest.readUntil(s, "data: ").substring(6)).get("id").asText();
    }

    static long logLines(String id) {
        return HttpLayerErrorsTest.captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(id + " "))
                .count();
    }

    /** Waits for the request's log line; fails if it takes longer than an end should. */
    static void awaitLogLine(String id, long sinceNanos) throws InterruptedException {
        while (logLines(id) == 0 && (System.nanoTime() - sinceNanos) / 1_000_000 < END_WITHIN_MS) {
            Thread.sleep(2);
        }
        assertThat((System.nanoTime() - sinceNanos) / 1_000_000).as("ms until the log line of " + id)
                .isLessThan(END_WITHIN_MS);
        assertThat(logLines(id)).as("log lines of " + id).isEqualTo(1);
    }

    /** The request is gone, logged once, and the full capacity takes new work. */
    static void assertEnded(ServerFixture fx, String... ids) {
        JsonNode list = fx.get("/v1/requests").json().get("data");
        assertThat(list).as("requests still listed").isEmpty();
        for (String id : ids) {
            assertThat(logLines(id)).as("log lines of " + id).isEqualTo(1);
        }
        List<CompletableFuture<ServerFixture.Reply>> replies = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> fx.post("/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi " + i + "\"}],\"max_tokens\":1}")))
                .toList();
        assertThat(replies).allSatisfy(r -> assertThat(r.join().status()).as(r.join().body()).isEqualTo(200));
    }

    static ServerFixture.RawStream open(ServerFixture fx, String prompt, int maxTokens) throws Exception {
        ServerFixture.RawStream s = QueueAndCancelTest.open(fx, "/v1/chat/completions",
                QueueAndCancelTest.chat(prompt, maxTokens));
        s.socket.setSoLinger(true, 0); // a hang-up is a reset, as when a client process dies
        return s;
    }

    @Test
    void aHangUpRacingACancelEndsTheRequestOnceAndAtOnce() throws Exception {
        HttpLayerErrorsTest.logDuring(() -> {
            try (ServerFixture fx = start(); Updates updates = new Updates(fx)) {
                for (int round = 0; round < ROUNDS; round++) {
                    ServerFixture.RawStream a = open(fx, QueueAndCancelTest.longPrompt(200, "race" + round), 1500);
                    String id = idOf(a);
                    updates.await("prefill of " + id, s -> s.id().equals(id) && s.processedTokens() > 0);
                    // the hang-up first or the cancel first: alternate, so both orders are driven
                    long t0 = System.nanoTime();
                    ServerFixture.Reply cancel;
                    if (round % 2 == 0) {
                        a.close();
                        cancel = fx.post("/v1/requests/" + id + "/cancel", "");
                    } else {
                        CompletableFuture<ServerFixture.Reply> c = CompletableFuture.supplyAsync(
                                () -> fx.post("/v1/requests/" + id + "/cancel", ""));
                        a.close();
                        cancel = c.join();
                    }
                    if (cancel.status() == 200) {
                        // an API cancel answers only once the request has ended and is logged
                        assertThat(logLines(id)).as("logged when the cancel returned").isEqualTo(1);
                        assertThat(fx.get("/v1/requests").json().get("data")).isEmpty();
                    }
                    awaitLogLine(id, t0);
                    assertEnded(fx, id);
                }
            }
        });
    }

    @Test
    void aCancelRacingTheFinishEndsOnce() throws Exception {
        HttpLayerErrorsTest.logDuring(() -> {
            try (ServerFixture fx = start(); Updates updates = new Updates(fx)) {
                for (int round = 0; round < ROUNDS; round++) {
                    // a few tokens: the cancel lands around the last one, before or after the finish
                    ServerFixture.RawStream a = open(fx, "short " + round, 2 + round % 3);
                    String id = idOf(a);
                    updates.await("first token of " + id, s -> s.id().equals(id) && s.generatedTokens() > 0);
                    long t0 = System.nanoTime();
                    int status = fx.post("/v1/requests/" + id + "/cancel", "").status();
                    assertThat(status).isIn(200, 404);
                    List<String> rest = a.readAll();
                    assertThat(rest).as("the stream ends properly").contains("data: [DONE]");
                    a.close();
                    awaitLogLine(id, t0);
                    assertEnded(fx, id);
                }
            }
        });
    }

    @Test
    void aQueuedRequestThatHangsUpAndIsCancelledLeavesTheQueueAtOnce() throws Exception {
        // No queue lines or keep-alives: nothing is written to the waiting client until its cancel's end, so that
        // write is what finds it gone (the Stop button of the dashboard does this: it aborts, then cancels)
        HttpLayerErrorsTest.logDuring(() -> {
            try (ServerFixture fx = QueueAndCancelTest.start(ServerOptions.defaults().withMaxQueued(1)
                    .withTiming(600_000, 600)); Updates updates = new Updates(fx)) {
                for (int round = 0; round < ROUNDS; round++) {
                    ServerFixture.RawStream a = open(fx, QueueAndCancelTest.longPrompt(600, "run" + round), 1500);
                    String aId = idOf(a);
                    ServerFixture.RawStream b = open(fx, QueueAndCancelTest.longPrompt(20, "wait" + round), 5);
                    QueueAndCancelTest.readUntil(b, ": queued ");
                    String bId = fx.get("/v1/requests").json().get("data").get(1).get("id").asText();
                    long t0 = System.nanoTime();
                    b.close();
                    assertThat(fx.post("/v1/requests/" + bId + "/cancel", "").status()).isEqualTo(200);
                    updates.await("end of " + bId, s -> s.id().equals(bId) && s.phase().ended());
                    awaitLogLine(bId, t0);
                    assertThat(fx.post("/v1/requests/" + aId + "/cancel", "").status()).isEqualTo(200);
                    a.close();
                    assertEnded(fx, aId, bId);
                }
            }
        });
    }

    @Test
    void aShutdownInTheMiddleOfARaceStillLogsEveryRequestOnce() throws Exception {
        String log = HttpLayerErrorsTest.logDuring(() -> {
            ServerFixture fx = start();
            try (Updates updates = new Updates(fx)) {
                ServerFixture.RawStream a = open(fx, QueueAndCancelTest.longPrompt(200, "stop-a"), 1500);
                String aId = idOf(a);
                ServerFixture.RawStream b = open(fx, QueueAndCancelTest.longPrompt(20, "stop-b"), 1500);
                QueueAndCancelTest.readUntil(b, ": queued ");
                String bId = fx.get("/v1/requests").json().get("data").get(1).get("id").asText();
                updates.await("prefill of " + aId, s -> s.id().equals(aId) && s.processedTokens() > 0);
                a.close();
                CompletableFuture<ServerFixture.Reply> cancel = CompletableFuture.supplyAsync(
                        () -> fx.post("/v1/requests/" + bId + "/cancel", ""));
                fx.server.stop(Duration.ZERO);
                cancel.handle((r, e) -> null).join();
                // every handler has finished when stop returns: both lines are written, once each
                assertThat(logLines(aId)).isEqualTo(1);
                assertThat(logLines(bId)).isEqualTo(1);
                b.close();
            } finally {
                fx.close();
            }
        });
        assertThat(log).doesNotContain("\tat ");
    }
}
