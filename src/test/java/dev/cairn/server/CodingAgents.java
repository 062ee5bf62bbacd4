package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real coding agents, Claude Code ({@code claude -p}) and Codex CLI ({@code codex exec}), run against a local
 * server. Their npm packages are pinned by src/test/resources/agents/package.json and its lockfile and installed
 * once per machine by {@link NpmCache}; each run gets a fresh HOME (and CODEX_HOME) in a temporary directory and an
 * environment holding only what is set here, so nothing from the machine's own agent setup leaks in.
 *
 * <p>Both run offline. Claude Code talks only to {@code ANTHROPIC_BASE_URL} with {@code DISABLE_TELEMETRY},
 * {@code CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC}, {@code DISABLE_AUTOUPDATER} and {@code DISABLE_ERROR_REPORTING}
 * set. Codex resolves api.github.com and chatgpt.com at start unless its plugin, app and update features are off
 * ({@link #CODEX_FEATURES_OFF}); with them off it connects to nothing but its provider's base_url.
 *
 * <p>{@link #main} captures the first request each agent sends (headers and body) into
 * src/test/resources/agents/*.request.json, the fixtures that drive server tests without the agents
 * (claude-sonnet.request.json is Claude Code's first request when told a Claude model name: more tools, no system
 * turn in the messages).
 */
final class CodingAgents {
    static final String CLAUDE_VERSION = "2.1.328";
    static final String CODEX_VERSION = "0.169.0";
    static final String API_KEY = "sk-cairn-agent-test";
    private static final String FOLDER = "agents";

    /** Codex features that reach for the network on start (plugin and app catalogs, updates, hosted tools). */
    static final List<String> CODEX_FEATURES_OFF = List.of("plugins", "remote_plugin", "apps", "plugin_sharing",
            "tool_suggest", "image_generation", "skill_mcp_dependency_install", "in_app_updates", "daemon_auto_start",
            "browser_use", "computer_use");

    /** The agents. */
    enum Agent {
        CLAUDE("@anthropic-ai/claude-code", "claude"), CODEX("@openai/codex", "codex");

        final String npmPackage;
        final String bin;

        Agent(String npmPackage, String bin) {
            this.npmPackage = npmPackage;
            this.bin = bin;
        }
    }

    /** One finished agent run. */
    record Run(Agent agent, int exitCode, String stdout, String stderr, Duration took) {
        String describe() {
            return agent.bin + " exited " + exitCode + " after " + took.toMillis() + " ms\n--- stdout\n" + stdout
                    + "\n--- stderr\n" + stderr;
        }
    }

    private CodingAgents() {
    }

    /** The installed agent's executable. */
    static Path executable(Agent agent) {
        Path bin = NpmCache.install(FOLDER).resolve(".bin").resolve(agent.bin);
        if (!Files.isExecutable(bin)) {
            fail(agent.npmPackage + " installed without its " + agent.bin + " executable at " + bin);
        }
        return bin;
    }

    /**
     * Runs {@code claude -p prompt} against the Anthropic API at {@code baseUrl}, with at most
     * {@code maxOutputTokens} per answer and one agent turn, in an empty working directory.
     */
    static Run claude(String baseUrl, String model, String prompt, int maxOutputTokens, Duration timeout) {
        return run(Agent.CLAUDE, timeout, (home, work) -> {
            ProcessBuilder pb = new ProcessBuilder(executable(Agent.CLAUDE).toString(), "-p", prompt, "--model", model,
                    "--max-turns", "1");
            Map<String, String> env = baseEnvironment(pb, home);
            env.put("ANTHROPIC_BASE_URL", baseUrl);
            env.put("ANTHROPIC_API_KEY", API_KEY);
            env.put("DISABLE_TELEMETRY", "1");
            env.put("DISABLE_AUTOUPDATER", "1");
            env.put("DISABLE_ERROR_REPORTING", "1");
            env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            env.put("CLAUDE_CODE_MAX_OUTPUT_TOKENS", Integer.toString(maxOutputTokens));
            return pb;
        });
    }

    /**
     * Runs {@code codex exec prompt} against the Responses API at {@code baseUrl} (a provider with
     * {@code wire_api = "responses"} in a temporary CODEX_HOME), read-only and never asking for approval.
     */
    static Run codex(String baseUrl, String model, String prompt, Duration timeout) {
        return codex(baseUrl, model, prompt, null, timeout);
    }

    /** As {@link #codex(String, String, String, Duration)}, with {@code agentsMd} (if not null) as the project's AGENTS.md. */
    static Run codex(String baseUrl, String model, String prompt, String agentsMd, Duration timeout) {
        return run(Agent.CODEX, timeout, (home, work) -> {
            if (agentsMd != null) {
                Files.writeString(work.resolve("AGENTS.md"), agentsMd);
            }
            Path codexHome = Files.createDirectories(home.resolve("codex-home"));
            Files.writeString(codexHome.resolve("config.toml"), codexConfig(baseUrl, model));
            ProcessBuilder pb = new ProcessBuilder(executable(Agent.CODEX).toString(), "exec",
                    "--skip-git-repo-check", prompt);
            Map<String, String> env = baseEnvironment(pb, home);
            env.put("CODEX_HOME", codexHome.toString());
            env.put("CAIRN_API_KEY", API_KEY);
            return pb;
        });
    }

    /** The config.toml that points Codex at cairn's Responses API and turns off what would call out. */
    static String codexConfig(String baseUrl, String model) {
        StringBuilder toml = new StringBuilder();
        toml.append("model = \"").append(model).append("\"\n")
                .append("model_provider = \"cairn\"\n")
                .append("approval_policy = \"never\"\n")
                .append("sandbox_mode = \"read-only\"\n")
                .append("check_for_update_on_startup = false\n")
                .append("model_context_window = 32768\n\n")
                .append("[model_providers.cairn]\n")
                .append("name = \"cairn\"\n")
                .append("base_url = \"").append(baseUrl).append("/v1\"\n")
                .append("wire_api = \"responses\"\n")
                .append("env_key = \"CAIRN_API_KEY\"\n")
                .append("request_max_retries = 0\n")
                .append("stream_max_retries = 0\n\n")
                .append("[analytics]\nenabled = false\n\n")
                .append("[otel]\nexporter = \"none\"\n\n")
                .append("[features]\n");
        for (String feature : CODEX_FEATURES_OFF) {
            toml.append(feature).append(" = false\n");
        }
        return toml.toString();
    }

    private interface Command {
        ProcessBuilder build(Path home, Path work) throws IOException;
    }

    private static Run run(Agent agent, Duration timeout, Command command) {
        try {
            Path home = Files.createTempDirectory("cairn-agent-" + agent.bin);
            try {
                Path work = Files.createDirectories(home.resolve("work"));
                Path out = home.resolve("stdout");
                Path err = home.resolve("stderr");
                ProcessBuilder pb = command.build(home, work).directory(work.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                long start = System.nanoTime();
                int status = NpmCache.await(pb.start(), timeout, agent.bin, err);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                return new Run(agent, status, Files.readString(out), Files.readString(err), took);
            } finally {
                NpmCache.deleteTree(home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only PATH (for node and the shell the agents spawn) and a private HOME: no proxies, keys or agent config. */
    private static Map<String, String> baseEnvironment(ProcessBuilder pb, Path home) {
        Map<String, String> env = pb.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("TMPDIR", home.toString());
        env.put("LANG", "C.UTF-8");
        return env;
    }

    /**
     * Captures the first request each agent sends to a server that answers every request with a 404 (so the agent
     * gives up), into {@code args[0]} (default src/test/resources/agents): {@code claude.request.json} and
     * {@code codex.request.json}, each with method, path, headers and the body as JSON.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/agents");
        capture(dir.resolve("claude.request.json"), base -> claude(base, "cairn",
                "Say hello.", 64, Duration.ofMinutes(2)));
        capture(dir.resolve("codex.request.json"), base -> codex(base, "cairn", "Say hello.",
                Duration.ofMinutes(2)));
    }

    private static void capture(Path file, java.util.function.Function<String, Run> agent) throws Exception {
        CompletableFuture<ObjectNode> first = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            ObjectNode request = Json.MAPPER.createObjectNode().put("method", exchange.getRequestMethod())
                    .put("path", exchange.getRequestURI().toString());
            ObjectNode headers = request.putObject("headers");
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            request.set("body", Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8)));
            first.complete(request);
            byte[] answer = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"capture\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            Run run = agent.apply("http://127.0.0.1:" + server.getAddress().getPort());
            ObjectNode request;
            try {
                request = first.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("the agent sent no request:\n" + run.describe(), e);
            }
            Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(request) + "\n");
            System.out.println(file + ": " + Files.size(file) + " bytes; " + run.agent().bin + " exited "
                    + run.exitCode());
        } finally {
            server.stop(0);
        }
    }
}
