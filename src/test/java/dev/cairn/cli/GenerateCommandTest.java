package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerateCommandTest {
    static final String MODEL = "src/test/resources/models/aidreams260K-f32.gguf";
    /** llama.cpp's 40 greedy ids after "I dreamed of a" (models/REFERENCE.md). */
    static final String REFERENCE = "315 432 452 341 446 299 303 266 323 434 285 362 262 263 428 434 436 451 275 280 "
            + "302 450 405 403 399 448 429 465 265 434 317 431 434 289 408 326 446 262 279 438";

    @Test
    void idsEqualLlamaCppGreedy() {
        CliCapture r = CliCapture.run("generate", "--model", MODEL, "--prompt", "I dreamed of a", "-n", "40",
                "--temperature", "0", "--ids");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(REFERENCE);
        assertThat(r.err()).as("no progress output when stderr is not a terminal").isEmpty();
    }

    @Test
    void printsOnlyTheContinuationAsText() {
        CliCapture r = CliCapture.run("generate", "--model", MODEL, "--prompt", "I dreamed of a", "-n", "12");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ctivation, as I settle into");
        assertThat(r.out()).doesNotContain("dreamed");
    }

    @Test
    void progressFlagWritesOneJsonLinePerEvent() throws Exception {
        CliCapture r = CliCapture.run("generate", "--model", MODEL, "--prompt", "I dreamed of a", "-n", "3",
                "--prefill-chunk", "4", "--progress");
        assertThat(r.exitCode()).as(r.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = r.err().lines().map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
        List<JsonNode> progress = lines.stream().filter(l -> l.get("event").asText().equals("prefill_progress")).toList();
        // 9 prompt tokens in chunks of 4: the start plus 3 chunks.
        assertThat(progress).extracting(p -> p.get("processed_tokens").asInt()).containsExactly(0, 4, 8, 9);
        assertThat(progress).extracting(p -> p.get("total_tokens").asInt()).containsOnly(9);
        assertThat(progress.getFirst().get("tokens_per_second").isNull()).isTrue();
        assertThat(progress.getFirst().get("eta_ms").isNull()).isTrue();
        assertThat(progress.getLast().get("tokens_per_second").asDouble()).isPositive();
        JsonNode done = lines.getLast();
        assertThat(done.get("event").asText()).isEqualTo("done");
        assertThat(done.get("finish_reason").asText()).isEqualTo("length");
        assertThat(done.get("generated_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void badInputGetsAClearErrorWithoutAStackTrace() {
        CliCapture missing = CliCapture.run("generate", "--model", "no-such.gguf", "--prompt", "x");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("no such file:", "no-such.gguf").doesNotContain("Exception");

        CliCapture tooLong = CliCapture.run("generate", "--model", MODEL, "--prompt",
                "a gentle hum of precision ".repeat(40), "--ctx-size", "64");
        assertThat(tooLong.exitCode()).isNotZero();
        assertThat(tooLong.err()).containsPattern("prompt has \\d+ tokens but the context size is 64")
                .doesNotContain("Exception");
    }
}
