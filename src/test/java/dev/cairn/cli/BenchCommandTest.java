package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench command's output contract (speed itself is measured by running it, never asserted in tests). */
class BenchCommandTest {
    @Test
    void jsonLastLineHasBothRates() throws Exception {
        CliCapture r = CliCapture.run("bench", "--model", GenerateCommandTest.MODEL, "--prompt-tokens", "32",
                "--gen-tokens", "8", "--threads", "1", "--prefill-chunk", "16", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode o = new ObjectMapper().readTree(last);
        assertThat(o.get("prefill_tokens_per_second").asDouble()).isPositive();
        assertThat(o.get("decode_tokens_per_second").asDouble()).isPositive();
        assertThat(o.get("prompt_tokens").asInt()).isEqualTo(32);
        assertThat(o.get("gen_tokens").asInt()).isEqualTo(8);
        assertThat(r.out()).contains("prefill: 32 tokens").contains("decode:  8 tokens");
    }

    @Test
    void depthTimesPrefillAndDecodeAfterThatMuchContext() throws Exception {
        CliCapture r = CliCapture.run("bench", "--model", GenerateCommandTest.MODEL, "--prompt-tokens", "16",
                "--gen-tokens", "4", "--depth", "40", "--threads", "1", "--prefill-chunk", "16", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(o.get("depth").asInt()).isEqualTo(40);
        assertThat(o.get("decode_tokens_per_second").asDouble()).isPositive();
        assertThat(r.err()).contains("after 40 tokens of context").contains("computing 40 tokens")
                .contains("60 ctx"); // the cache holds context + prompt + generated tokens
        assertThat(CliCapture.run("bench", "--model", GenerateCommandTest.MODEL, "--depth", "-1").exitCode())
                .isEqualTo(2);
    }

    @Test
    void syntheticModelIsWrittenOnceToTheCacheAndBenched(@TempDir Path cache) {
        String old = System.getProperty("cairn.cache");
        System.setProperty("cairn.cache", cache.toString());
        try {
            CliCapture r = CliCapture.run("bench", "--synthetic", "test", "--type", "q8_0", "--prompt-tokens", "16",
                    "--gen-tokens", "4", "--threads", "1", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            Path file = cache.resolve("synthetic/test-q8_0.gguf");
            assertThat(Files.isRegularFile(file)).isTrue();
            assertThat(r.err()).contains(file.toString());
            CliCapture again = CliCapture.run("bench", "--synthetic", "test", "--type", "q8_0", "--prompt-tokens", "16",
                    "--gen-tokens", "4", "--threads", "1");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.err()).contains("reused");
        } finally {
            if (old == null) {
                System.clearProperty("cairn.cache");
            } else {
                System.setProperty("cairn.cache", old);
            }
        }
    }

    @Test
    void needsExactlyOneModelSource() {
        assertThat(CliCapture.run("bench").exitCode()).isNotZero();
        CliCapture bad = CliCapture.run("bench", "--synthetic", "huge", "--type", "q8_0");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("unknown model shape 'huge'");
    }
}
