package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The official npm SDKs ({@code openai}, {@code @anthropic-ai/sdk}) driven from tests: the versions pinned in
 * src/test/resources/node/package.json (with its lockfile) are installed once per machine into
 * ~/.cache/cairn/npm/LOCKHASH with {@code npm ci}, and later runs use them without touching the registry. Each call
 * runs src/test/resources/node/sdk.cjs in Node.js with a job on stdin and returns the JSON it prints.
 */
final class NodeSdk {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String SCRIPT = "sdk.cjs";

    private NodeSdk() {
    }

    /** The SDK's answer to one job: what sdk.cjs printed. */
    record Result(JsonNode json) {
        /** The SDK error (name, status, message, body) when the call failed, else null. */
        JsonNode error() {
            return json.get("error");
        }

        /** The JSON, after checking the SDK call did not fail. */
        JsonNode ok() {
            if (error() != null) {
                fail("the SDK call failed: " + error());
            }
            return json;
        }
    }

    /**
     * Runs {@code op} ("create", "stream", "parse" (openai), "tool-loop") of {@code sdk} ("openai", "anthropic") with
     * the SDK call's parameters {@code request} against {@code baseUrl}; {@code extra} fields (e.g. "stream",
     * "followUp" for tool loops) are added to the job.
     */
    static Result run(String sdk, String op, String baseUrl, String apiKey, JsonNode request, ObjectNode extra) {
        Path nodeModules = install();
        ObjectNode job = Json.MAPPER.createObjectNode().put("sdk", sdk).put("op", op)
                .put("baseURL", sdk.equals("openai") ? baseUrl + "/v1" : baseUrl).put("apiKey", apiKey);
        job.set("request", request);
        if (extra != null) {
            job.setAll(extra);
        }
        try {
            Path dir = Files.createTempDirectory("cairn-node-sdk");
            try {
                Path in = Files.writeString(dir.resolve("job.json"), job.toString());
                Path out = dir.resolve("stdout");
                Path err = dir.resolve("stderr");
                ProcessBuilder pb = new ProcessBuilder(NpmCache.executable("node"), script().toString())
                        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("NODE_PATH", nodeModules.toString());
                int status = NpmCache.await(pb.start(), RUN_TIMEOUT, "node " + SCRIPT + " (" + sdk + " " + op + ")",
                        err);
                if (status != 0) {
                    fail("node " + SCRIPT + " failed (exit " + status + ") on " + job + ":\n" + Files.readString(err));
                }
                return new Result(Json.MAPPER.readTree(Files.readString(out)));
            } finally {
                NpmCache.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The installed node_modules directory, installing the pinned packages first when they are not there. */
    static Path install() {
        return NpmCache.install("node");
    }

    private static Path script() {
        try {
            return Path.of(NodeSdk.class.getResource("/node/" + SCRIPT).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
