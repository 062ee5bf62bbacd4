package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.ToolSpec;
import dev.cairn.chat.TurnPlan;
import dev.cairn.chat.TurnRequest;
import dev.cairn.engine.EngineOptions;
import dev.cairn.tokenizer.Tokenizer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first requests Claude Code and Codex CLI send (captured by {@link CodingAgents#main} into
 * src/test/resources/agents), replayed with their headers against the real server: each is accepted and answered
 * with a whole stream in its API's shape. The model is the small random one, so the answers are gibberish; the
 * requests' tools reach the chat layer (a {@link StandInPlanner}, recording what it was asked).
 */
class AgentRequestsTest {
    static final int CTX = 32768;
    static ServerFixture fx;
    static volatile TurnRequest lastTurn;

    @BeforeAll
    static void start() {
        StandInPlanner standIn = new StandInPlanner();
        TurnPlanner recording = (request, template, tokenizer) -> {
            lastTurn = request;
            return standIn.plan(request, template, tokenizer);
        };
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, 512, CTX, 1),
                ServerOptions.defaults().withApiKey(null), recording);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    /** The captured request: its path and body, and its headers (except those the socket sets) as name, value. */
    record Captured(String path, ObjectNode body, String[] headers) {
        static Captured load(String agent) throws IOException {
            JsonNode fixture = Json.MAPPER.readTree(AgentRequestsTest.class.getResourceAsStream(
                    "/agents/" + agent + ".request.json"));
            List<String> headers = new java.util.ArrayList<>();
            fixture.get("headers").fields().forEachRemaining(e -> {
                if (!List.of("host", "content-length", "connection", "accept-encoding").contains(e.getKey())) {
                    headers.add(e.getKey());
                    headers.add(e.getValue().asText());
                }
            });
            return new Captured(fixture.get("path").asText(), (ObjectNode) fixture.get("body").deepCopy(),
                    headers.toArray(String[]::new));
        }
    }

    static Frames replay(Captured c) throws IOException {
        try (ServerFixture.RawStream s = fx.raw("POST", c.path(), "127.0.0.1:" + fx.server.port(),
                Json.write(c.body()), c.headers())) {
            List<String> lines = s.readAll();
            assertThat(s.status).as(() -> String.join("\n", lines)).isEqualTo(200);
            return Frames.of(lines);
        }
    }

    @Test
    void codexFirstRequestIsAnsweredWithAResponsesStream() throws IOException {
        Captured codex = Captured.load("codex");
        assertThat(codex.path()).isEqualTo("/v1/responses");
        codex.body().put("max_output_tokens", 3); // Codex sets no limit; the random model would fill the context
        Frames f = replay(codex);
        // Function tools are offered; the namespace and web_search tools are accepted and left out.
        List<String> offered = lastTurn.tools().stream().map(ToolSpec::name).toList();
        assertThat(offered).contains("exec_command", "write_stdin").doesNotContain("multi_agent_v1");
        // The two developer messages join into one system message ahead of the user's.
        assertThat(lastTurn.messages()).extracting(ChatMessage::role).containsExactly("system", "user", "user");
        assertThat(f.frames().getFirst().event()).isEqualTo("response.created");
        Frames.Frame last = f.frames().getLast();
        assertThat(last.event()).isEqualTo("response.incomplete");
        assertThat(last.dataJson().at("/response/store").asBoolean()).isFalse();
        assertThat(last.dataJson().at("/response/usage/input_tokens").asInt()).isGreaterThan(10_000);
    }

    @Test
    void claudeCodeFirstRequestIsAnsweredWithAMessagesStream() throws IOException {
        // For a model it does not know, Claude Code sends its environment notes as a system turn in the messages.
        assertClaudeRequestAnswered(Captured.load("claude"));
        assertThat(lastTurn.messages()).extracting(ChatMessage::role).containsExactly("system", "user", "system");
    }

    @Test
    void claudeCodeFirstRequestForAClaudeModelIsAnsweredWithAMessagesStream() throws IOException {
        assertClaudeRequestAnswered(Captured.load("claude-sonnet"));
    }

    static void assertClaudeRequestAnswered(Captured claude) throws IOException {
        assertThat(claude.path()).startsWith("/v1/messages");
        Frames f = replay(claude);
        assertThat(lastTurn.tools()).extracting(ToolSpec::name).contains("Bash", "Read", "Edit", "Write");
        assertThat(f.frames().getFirst().event()).isEqualTo("message_start");
        assertThat(f.frames().getLast().event()).isEqualTo("message_stop");
        JsonNode delta = f.events("message_delta").getLast().dataJson();
        assertThat(delta.at("/usage/output_tokens").asInt()).isPositive();
        JsonNode start = f.events("message_start").getFirst().dataJson();
        assertThat(start.at("/message/usage/input_tokens").asInt()).isGreaterThan(10_000);
    }
}
