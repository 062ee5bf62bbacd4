package dev.cairn.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The official npm SDKs ({@code openai}, {@code @anthropic-ai/sdk}) driven from tests: the versions pinned in
 * src/test/resources/node/package.json (with its lockfile) are installed once per machine into
 * ~/.cache/cairn/npm/LOCKHASH with {@code npm ci}, and later runs use them without touching the registry. Each call
 * runs src/test/resources/node/sdk.cjs in Node.js with a job on stdin and returns the JSON it prints.
 */
final class NodeSdk {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
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
     * One SDK call: {@code op} ("create", "stream", "parse" (openai), "run-tools" (openai), "tool-loop") of
     * {@code sdk} ("openai", "anthropic") with the SDK call's parameters {@code request}; {@code extra} fields (e.g.
     * "stream", "followUp", "ticket" for tool loops) are added to the job. See sdk.cjs.
     */
    record Job(String sdk, String op, JsonNode request, ObjectNode extra) {
        Job(String sdk, String op, JsonNode request) {
            this(sdk, op, request, null);
        }

        ObjectNode toJson(String baseUrl, String apiKey) {
            ObjectNode job = Json.MAPPER.createObjectNode().put("sdk", sdk).put("op", op)
                    .put("baseURL", sdk.equals("openai") ? baseUrl + "/v1" : baseUrl).put("apiKey", apiKey);
            job.set("request", request);
            if (extra != null) {
                job.setAll(extra);
            }
            return job;
        }
    }

    /** Runs one job of {@code sdk} against the server at {@code baseUrl}. */
    static Result run(String sdk, String op, String baseUrl, String apiKey, JsonNode request, ObjectNode extra) {
        return run(baseUrl, apiKey, new Job(sdk, op, request, extra));
    }

    /** Runs one job against the server at {@code baseUrl}. */
    static Result run(String baseUrl, String apiKey, Job job) {
        return run(baseUrl, apiKey, List.of(job)).getFirst();
    }

    /** Runs {@code jobs} one after the other in one Node.js process (its start and the SDKs' loading cost once). */
    static List<Result> run(String baseUrl, String apiKey, List<Job> jobs) {
        Path nodeModules = install();
        ArrayNode input = Json.MAPPER.createArrayNode();
        jobs.forEach(j -> input.add(j.toJson(baseUrl, apiKey)));
        try {
            Path dir = Files.createTempDirectory("cairn-node-sdk");
            try {
                Path in = Files.writeString(dir.resolve("jobs.json"), input.toString());
                Path out = dir.resolve("stdout");
                Path err = dir.resolve("stderr");
                ProcessBuilder pb = new ProcessBuilder(NpmCache.executable("node"), script().toString())
                        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("NODE_PATH", nodeModules.toString());
                String what = "node " + SCRIPT + " (" + jobs.size() + " jobs)";
                int status = NpmCache.await(pb.start(), RUN_TIMEOUT, what, err);
                if (status != 0) {
                    fail(what + " failed (exit " + status + ") on " + input + ":\n" + Files.readString(err));
                }
                List<Result> results = new ArrayList<>();
                Json.MAPPER.readTree(Files.readString(out)).forEach(r -> results.add(new Result(r)));
                return results;
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
