package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exact bytes of the streams: progress comments, named events, chunk order, [DONE], Anthropic's event order. */
class StreamWireTest {
    static final int CHUNK = 8;
    static ServerFixture fx;
    static final AtomicInteger UNIQUE = new AtomicInteger();

    @BeforeAll
    static void start() {
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, CHUNK, 1024, 1),
                ServerOptions.defaults().withApiKey(null));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /** A prompt no earlier request shares a long prefix with, so little of it is cached. */
    static String prompt(int words) {
        StringBuilder sb = new StringBuilder("test " + UNIQUE.incrementAndGet() + ":");
        String[] pool = {"one", "small", "step", "for", "a", "stone", "river", "hill", "cloud", "light"};
        for (int i = 0; i < words; i++) {
            sb.append(' ').append(pool[(i * 7 + UNIQUE.get()) % pool.length]);
        }
        return sb.toString();
    }

    static String chatBody(String prompt, String extra) {
        return "{\"model\":\"anything\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt
                + "\"}],\"max_tokens\":6,\"temperature\":0" + extra + "}";
    }

    static Frames stream(String path, String body, String... headers) throws Exception {
        try (ServerFixture.RawStream s = fx.raw("POST", path, "127.0.0.1:" + fx.server.port(), body, headers)) {
            assertThat(s.status).isEqualTo(200);
            assertThat(s.headers.get("content-type")).startsWith("text/event-stream");
            return Frames.of(s.readAll());
        }
    }

    /** Progress lines: 1 + ceil((total - cached) / chunk); first at processed = cached, last at total, all flushed in order. */
    static void assertProgressSequence(List<JsonNode> progress, String requestId) {
        assertProgressSequence(progress, requestId, fx.server.modelId());
    }

    static void assertProgressSequence(List<JsonNode> progress, String requestId, String modelId) {
        assertThat(progress).isNotEmpty();
        JsonNode first = progress.getFirst();
        int total = first.get("total_tokens").asInt();
        int cached = first.get("cached_tokens").asInt();
        assertThat(progress).hasSize(1 + (total - cached + CHUNK - 1) / CHUNK);
        assertThat(first.get("processed_tokens").asInt()).isEqualTo(cached);
        assertThat(first.get("tokens_per_second").isNull()).isTrue();
        assertThat(first.get("eta_ms").isNull()).isTrue();
        assertThat(progress.getLast().get("processed_tokens").asInt()).isEqualTo(total);
        int prev = -1;
        for (JsonNode p : progress) {
            assertThat(fieldNames(p)).containsExactly("request_id", "model", "processed_tokens", "total_tokens",
                    "cached_tokens", "elapsed_ms", "tokens_per_second", "eta_ms");
            assertThat(p.get("request_id").asText()).isEqualTo(requestId);
            assertThat(p.get("model").asText()).isEqualTo(modelId);
            assertThat(p.get("processed_tokens").asInt()).isGreaterThan(prev);
            prev = p.get("processed_tokens").asInt();
        }
        for (JsonNode p : progress.subList(1, progress.size())) {
            assertThat(p.get("tokens_per_second").isNumber()).isTrue();
            assertThat(p.get("eta_ms").isNumber()).isTrue();
        }
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void chatStreamSendsProgressCommentsThenOpenAiChunksThenDone() throws Exception {
        Frames f = stream("/v1/chat/completions", chatBody(prompt(40), ",\"stream\":true"));
        List<Frames.Frame> progress = f.comments("prefill_progress");
        List<Frames.Frame> data = f.data();
        String id = data.getFirst().dataJson().get("id").asText();
        assertThat(id).startsWith("chatcmpl-");
        assertProgressSequence(progress.stream().map(Frames.Frame::commentJson).toList(), id);
        // every progress line precedes the first data chunk, which is the role delta
        assertThat(f.indexOf(progress.getLast())).isLessThan(f.indexOf(data.getFirst()));
        assertThat(f.frames()).allMatch(fr -> fr.isComment("prefill_progress") || fr.data() != null);
        JsonNode role = data.getFirst().dataJson();
        assertThat(role.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(role.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(role.at("/choices/0/finish_reason").isNull()).isTrue();
        assertThat(role.has("usage")).isFalse();
        assertThat(data.getLast().data()).isEqualTo("[DONE]");
        JsonNode fin = data.get(data.size() - 2).dataJson();
        assertThat(fin.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(fin.at("/choices/0/delta").isEmpty()).isTrue();
        StringBuilder text = new StringBuilder();
        for (Frames.Frame d : data.subList(1, data.size() - 2)) {
            JsonNode c = d.dataJson();
            assertThat(c.get("id").asText()).isEqualTo(id);
            assertThat(c.at("/choices/0/finish_reason").isNull()).isTrue();
            assertThat(c.at("/choices/0/delta").has("role")).isFalse();
            text.append(c.at("/choices/0/delta/content").asText());
        }
        assertThat(text.toString()).isNotEmpty();
    }

    /**
     * llama.cpp's {@code timings} object (what tools comparing servers read) on the final chunk of a stream and on
     * non-streaming chat and text completions, with its counts tied to the progress lines and usage.
     */
    @Test
    void timingsAsLlamaCppReportsThem() throws Exception {
        Frames f = stream("/v1/chat/completions", chatBody(prompt(40), ",\"stream\":true"));
        List<Frames.Frame> data = f.data();
        JsonNode fin = data.get(data.size() - 2).dataJson();
        JsonNode firstProgress = f.comments("prefill_progress").getFirst().commentJson();
        int fresh = firstProgress.get("total_tokens").asInt() - firstProgress.get("cached_tokens").asInt();
        assertTimings(fin.get("timings"), fresh, 6);
        for (Frames.Frame d : data.subList(0, data.size() - 2)) {
            assertThat(d.dataJson().has("timings")).as(d.data()).isFalse();
        }

        for (String[] req : new String[][] {{"/v1/chat/completions", chatBody(prompt(33), "")},
                {"/v1/completions", "{\"prompt\":\"" + prompt(33) + "\",\"max_tokens\":5,\"temperature\":0}"}}) {
            ServerFixture.Reply r = fx.post(req[0], req[1]);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode root = r.json();
            JsonNode usage = root.get("usage");
            assertTimings(root.get("timings"), usage.get("prompt_tokens").asInt()
                    - usage.at("/prompt_tokens_details/cached_tokens").asInt(), usage.get("completion_tokens").asInt());
        }
    }

    private static void assertTimings(JsonNode t, int promptN, int predictedN) {
        assertThat(t).as("timings").isNotNull();
        assertThat(fieldNames(t)).containsExactly("prompt_n", "prompt_ms", "prompt_per_token_ms", "prompt_per_second",
                "predicted_n", "predicted_ms", "predicted_per_token_ms", "predicted_per_second");
        assertThat(t.get("prompt_n").asInt()).isEqualTo(promptN).isPositive();
        assertThat(t.get("predicted_n").asInt()).isEqualTo(predictedN).isPositive();
        for (String p : new String[] {"prompt", "predicted"}) {
            double ms = t.get(p + "_ms").asDouble();
            assertThat(ms).isNotNegative();
            JsonNode perSecond = t.get(p + "_per_second");
            if (ms > 0) {
                assertThat(perSecond.asDouble()).isCloseTo(t.get(p + "_n").asInt() * 1000.0 / ms,
                        org.assertj.core.data.Offset.offset(1e-6));
                assertThat(t.get(p + "_per_token_ms").asDouble() * t.get(p + "_n").asInt())
                        .isCloseTo(ms, org.assertj.core.data.Offset.offset(1e-6));
            } else {
                assertThat(perSecond.isNull()).isTrue();
            }
        }
    }

    @Test
    void includeUsageAddsNullUsageToChunksAndAFinalUsageChunk() throws Exception {
        Frames f = stream("/v1/chat/completions", chatBody(prompt(12),
                ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        List<Frames.Frame> data = f.data();
        assertThat(data.getLast().data()).isEqualTo("[DONE]");
        JsonNode usageChunk = data.get(data.size() - 2).dataJson();
        assertThat(usageChunk.get("choices").isEmpty()).isTrue();
        JsonNode usage = usageChunk.get("usage");
        JsonNode firstProgress = f.comments("prefill_progress").getFirst().commentJson();
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(firstProgress.get("total_tokens").asInt());
        assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt())
                .isEqualTo(firstProgress.get("cached_tokens").asInt());
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(6);
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(usage.get("prompt_tokens").asInt() + 6);
        for (Frames.Frame d : data.subList(0, data.size() - 2)) {
            assertThat(d.dataJson().get("usage").isNull()).isTrue();
        }
    }

    @Test
    void namedProgressEventsOnRequestByBodyOrHeader() throws Exception {
        for (Frames f : List.of(
                stream("/v1/chat/completions", chatBody(prompt(30), ",\"stream\":true,\"prefill_progress\":\"events\"")),
                stream("/v1/chat/completions", chatBody(prompt(30), ",\"stream\":true"), "X-Prefill-Progress", "events"))) {
            assertThat(f.comments("prefill_progress")).isEmpty();
            List<Frames.Frame> events = f.events("prefill_progress");
            for (Frames.Frame e : events) {
                assertThat(e.lines()).hasSize(2);
            }
            String id = f.data().getFirst().dataJson().get("id").asText();
            assertProgressSequence(events.stream().map(Frames.Frame::dataJson).toList(), id);
            assertThat(f.data().getLast().data()).isEqualTo("[DONE]");
        }
    }

    @Test
    void returnProgressAddsLlamaCppPromptProgressChunks() throws Exception {
        Frames f = stream("/v1/chat/completions", chatBody(prompt(30), ",\"stream\":true,\"return_progress\":true"));
        List<Frames.Frame> comments = f.comments("prefill_progress");
        List<JsonNode> llama = f.data().stream().filter(d -> !d.data().equals("[DONE]"))
                .map(Frames.Frame::dataJson).filter(j -> j.has("prompt_progress")).toList();
        assertThat(llama).hasSameSizeAs(comments);
        for (int i = 0; i < llama.size(); i++) {
            JsonNode pp = llama.get(i).get("prompt_progress");
            JsonNode c = comments.get(i).commentJson();
            assertThat(pp.get("total").asInt()).isEqualTo(c.get("total_tokens").asInt());
            assertThat(pp.get("cache").asInt()).isEqualTo(c.get("cached_tokens").asInt());
            assertThat(pp.get("processed").asInt()).isEqualTo(c.get("processed_tokens").asInt());
            assertThat(pp.has("time_ms")).isTrue();
        }
    }

    @Test
    void completionsStreamTextCompletionChunks() throws Exception {
        Frames f = stream("/v1/completions", "{\"prompt\":\"" + prompt(25)
                + "\",\"max_tokens\":5,\"stream\":true,\"temperature\":0}");
        List<Frames.Frame> data = f.data();
        String id = data.getFirst().dataJson().get("id").asText();
        assertThat(id).startsWith("cmpl-");
        assertProgressSequence(f.comments("prefill_progress").stream().map(Frames.Frame::commentJson).toList(), id);
        assertThat(data.getLast().data()).isEqualTo("[DONE]");
        for (Frames.Frame d : data.subList(0, data.size() - 2)) {
            JsonNode c = d.dataJson();
            assertThat(c.get("object").asText()).isEqualTo("text_completion");
            assertThat(c.at("/choices/0/finish_reason").isNull()).isTrue();
        }
        assertThat(data.get(data.size() - 2).dataJson().at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void anthropicStreamFollowsAnthropicEventOrder() throws Exception {
        Frames f = stream("/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"temperature\":0,"
                + "\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt(30) + "\"}]}");
        List<String> order = f.frames().stream().map(fr -> fr.event() != null ? fr.event()
                : fr.isComment("prefill_progress") ? "progress" : "other").toList();
        List<String> collapsed = new java.util.ArrayList<>();
        for (String e : order) {
            if (collapsed.isEmpty() || !collapsed.getLast().equals(e)) {
                collapsed.add(e);
            }
        }
        assertThat(collapsed).containsExactly("message_start", "progress", "content_block_start", "ping",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        JsonNode start = f.events("message_start").getFirst().dataJson();
        String id = start.at("/message/id").asText();
        assertThat(id).startsWith("msg_");
        assertProgressSequence(f.comments("prefill_progress").stream().map(Frames.Frame::commentJson).toList(), id);
        JsonNode delta = f.events("message_delta").getFirst().dataJson();
        assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(delta.at("/delta/stop_sequence").isNull()).isTrue();
        assertThat(delta.at("/usage/output_tokens").asInt()).isEqualTo(5);
        JsonNode firstProgress = f.comments("prefill_progress").getFirst().commentJson();
        int cached = firstProgress.get("cached_tokens").asInt();
        assertThat(delta.at("/usage/cache_read_input_tokens").asInt()).isEqualTo(cached);
        assertThat(delta.at("/usage/input_tokens").asInt()).isEqualTo(firstProgress.get("total_tokens").asInt() - cached);
        for (Frames.Frame d : f.events("content_block_delta")) {
            assertThat(d.dataJson().at("/delta/type").asText()).isEqualTo("text_delta");
        }
    }

    @Test
    void progressIsIgnorableCommentsSoTheDataFramesAreUnchanged() throws Exception {
        // Same prompt twice (greedy): the data frames match byte for byte apart from id, created and the final
        // chunk's timings (measurements; the second run also reuses the first one's prompt from the cache).
        String p = prompt(20);
        Frames a = stream("/v1/chat/completions", chatBody(p, ",\"stream\":true"));
        Frames b = stream("/v1/chat/completions", chatBody(p, ",\"stream\":true"));
        List<String> da = a.data().stream().map(fr -> normalize(fr.data())).toList();
        List<String> db = b.data().stream().map(fr -> normalize(fr.data())).toList();
        assertThat(da).isEqualTo(db);
        assertThat(a.frames().stream().filter(fr -> fr.data() == null)).allMatch(fr -> fr.isComment("prefill_progress"));
    }

    private static String normalize(String data) {
        return data.replaceAll("\"id\":\"[^\"]+\"", "\"id\":\"X\"").replaceAll("\"created\":\\d+", "\"created\":0")
                .replaceAll("\"timings\":\\{[^}]*}", "\"timings\":{}");
    }
}
