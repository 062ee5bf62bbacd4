package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.gguf.TensorInfo;
import dev.cairn.server.FamilyModels.Family;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real coding agents against {@code cairn serve}: Claude Code ({@code claude -p}, Anthropic Messages API) and
 * Codex CLI ({@code codex exec}, OpenAI Responses API) each finish a turn with exit code 0 on a random-weight model
 * 256 wide with 2 layers, the Qwen2.5 vocabulary and tool-calling template and a 32k context. The answers are
 * gibberish; the protocol must not be. Each agent's first prompt is over 10k tokens, and the server's request log
 * must show it answered with 200.
 *
 * <p>The agents treat an answer cut by their output limit as a failure and ask again, and a random model rarely
 * writes its end-of-turn token, so the test model's output row for that token is scaled up ({@link #EOS_GAIN}): its
 * answers end after a few tokens, as a real model's short answer would.
 */
class RealAgentsTest {
    static final SyntheticModel.Shape AGENT = new SyntheticModel.Shape("agent", 256, 2, 4, 2, 768, 32768);
    static final String MODEL = "cairn-agent";
    static final Duration AGENT_TIMEOUT = Duration.ofMinutes(3);
    /** One request log line: id, endpoint, prompt tokens, ..., status. */
    static final float EOS_GAIN = 20f;
    /** Project instructions, as a repository gives Codex; they go into its prompt. */
    static final String AGENTS_MD = """
            # Working on this project

            This is a small Java service built with Maven. Run the tests with `mvn -q test` before proposing a change,
            and keep each change focused on one concern. Public classes carry a Javadoc comment that says why they
            exist; comments inside methods explain reasons, not mechanics.

            ## Layout

            - `src/main/java` holds the service, one package per layer: `api` (HTTP handlers), `core` (the domain
              model and its rules) and `store` (persistence). Data flows from `api` to `core` to `store`, never back.
            - `src/test/java` mirrors it. Tests build their own data; none reads files outside `src/test/resources`.

            ## Style

            Prefer small records and final classes. Errors that reach a client say what was wrong with the request
            and how to fix it, never a stack trace. Log one line per request with its id, status and duration.
            When unsure about a requirement, ask before writing code, and say which files a change touches.
            """;
    static final Pattern LOG = Pattern.compile("(\\S+) (/v1/\\S+) prompt=(\\d+) .* status=(\\S+)");

    static Path dir;
    static Process serve;
    static Path log;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("cairn-real-agents");
        Path model = FamilyModels.write(Family.QWEN25, AGENT, dir);
        favourEndOfTurn(model);
        log = dir.resolve("serve.log");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        serve = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.cairn.cli.Main", "serve", "--model",
                model.toString(), "--port", "0", "--alias", MODEL, "--ctx-size", "32768", "--n-predict", "24")
                .redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("Anthropic base URL:")) {
                base = line.substring(line.indexOf("http"));
                break;
            }
        }
        assertThat(base).as("serve's banner; its log:\n" + Files.readString(log)).isNotNull();
        // Keep draining stdout so the server never blocks on a full pipe.
        Thread.ofVirtual().start(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the server stopped
            }
        });
        CodingAgents.executable(CodingAgents.Agent.CLAUDE); // installs both outside the timed runs
    }

    /** Multiplies the output.weight row of the EOS token by {@link #EOS_GAIN}, in place. */
    static void favourEndOfTurn(Path model) throws IOException {
        long at;
        int dim;
        try (GgufFile gguf = GgufFile.open(model)) {
            TensorInfo output = gguf.tensor("output.weight");
            assertThat(output.type()).isEqualTo(GgmlType.F32);
            dim = (int) output.shape()[0];
            int eos = gguf.getInt("tokenizer.ggml.eos_token_id", -1);
            at = gguf.dataOffset() + output.offset() + (long) eos * dim * Float.BYTES;
        }
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer row = ByteBuffer.allocate(dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(row, at);
            for (int i = 0; i < dim; i++) {
                row.putFloat(i * Float.BYTES, row.getFloat(i * Float.BYTES) * EOS_GAIN);
            }
            ch.write(row.flip(), at);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.destroy();
            serve.waitFor();
        }
        NpmCache.deleteTree(dir);
    }

    /** The request log lines the server wrote so far. */
    static List<Matcher> requests() throws IOException {
        List<Matcher> lines = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            Matcher m = LOG.matcher(l);
            if (m.find()) {
                lines.add(m);
            }
        }
        return lines;
    }

    static void assertLongPromptAnswered(String endpoint) throws IOException {
        List<Matcher> lines = requests().stream().filter(m -> m.group(2).startsWith(endpoint)).toList();
        assertThat(lines).as(Files.readString(log)).isNotEmpty();
        assertThat(lines).allSatisfy(m -> assertThat(m.group(4)).as(m.group()).isEqualTo("200"));
        assertThat(Integer.parseInt(lines.getFirst().group(3))).as(lines.getFirst().group()).isGreaterThan(10_000);
    }

    @Test
    void claudeCodeAndCodexEachFinishATurn() throws IOException {
        CodingAgents.Run claude = CodingAgents.claude(base, MODEL, "Say hello.", 64, AGENT_TIMEOUT);
        assertThat(claude.exitCode()).as(claude.describe() + "\n--- server\n" + Files.readString(log)).isZero();
        assertLongPromptAnswered("/v1/messages");

        CodingAgents.Run codex = CodingAgents.codex(base, MODEL, "Say hello.", AGENTS_MD, AGENT_TIMEOUT);
        assertThat(codex.exitCode()).as(codex.describe() + "\n--- server\n" + Files.readString(log)).isZero();
        assertLongPromptAnswered("/v1/responses");

        // The figures for whoever reads the test log: prompt sizes, prefill times, each agent's wall time.
        requests().forEach(m -> System.out.println("agent request: " + m.group()));
        System.out.println("claude took " + claude.took().toMillis() + " ms, codex " + codex.took().toMillis() + " ms");
        assertThat(claude.took().plus(codex.took())).as("claude " + claude.took() + ", codex " + codex.took())
                .isLessThan(Duration.ofMinutes(3));
    }
}
