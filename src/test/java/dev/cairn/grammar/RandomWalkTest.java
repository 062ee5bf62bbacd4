package dev.cairn.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufFile;
import dev.cairn.tokenizer.Tokenizer;
import dev.cairn.tokenizer.Tokenizers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generation with random logits through the real token constraint over real vocabularies (SentencePiece 32k and
 * byte-level BPE 100k): whatever the "model" prefers, the text parses and satisfies the schema, as an independent
 * validator judges. Both paths are exercised: the sampled token checked with allows, and the masked resample.
 */
class RandomWalkTest {
    static final String TOOL_ARGS = """
            {"type":"object","properties":{
              "location":{"type":"string","maxLength":24},
              "unit":{"enum":["celsius","fahrenheit"]},
              "days":{"type":"integer","minimum":1,"maximum":14},
              "when":{"type":"string","format":"date-time"},
              "tags":{"type":"array","items":{"type":"string","maxLength":8},"maxItems":3},
              "precise":{"type":"boolean"},
              "id":{"type":"string","format":"uuid"},
              "ratio":{"type":"number","minimum":0,"maximum":1},
              "note":{"type":["string","null"],"maxLength":12},
              "extra":{"type":"object","additionalProperties":{"type":"integer"}}
            },"required":["location","unit"],"additionalProperties":false}""";
    static final String TREE = """
            {"$defs":{"node":{"type":"object","properties":{
               "name":{"type":"string","minLength":1,"maxLength":6},
               "kids":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},
             "required":["name"]}},
             "anyOf":[{"$ref":"#/$defs/node"},{"type":"array","items":{"type":"integer","minimum":-50,"maximum":50},"minItems":1}]}""";
    static final String FREE_TEXT = """
            {"type":"object","properties":{"text":{"type":"string"},"n":{"type":"number"}},"required":["text","n"]}""";

    static Tokenizer load(String name) {
        try (GgufFile f = GgufFile.open(Path.of("src/test/resources/vocab/ggml-vocab-" + name + ".gguf"))) {
            return Tokenizers.fromGguf(f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "deepseek-llm"})
    void randomLogitsAlwaysGiveValidJson(String vocab) {
        Tokenizer tok = load(vocab);
        for (String schema : new String[] {TOOL_ARGS, TREE, FREE_TEXT}) {
            SchemaCheck judge = new SchemaCheck(schema);
            Grammar g = Grammar.jsonSchema(SchemaCheck.parse(schema));
            for (long seed = 1; seed <= 4; seed++) {
                String text = walk(TokenConstraints.strict(g, tok), tok, new SplittableRandom(seed * 7919 + schema.length()));
                assertThat(SchemaCheck.parse(text)).as(text).isNotNull();
                assertThat(judge.errors(text)).as("%s on %s", text, vocab).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "deepseek-llm"})
    void randomLogitsGiveAJsonObject(String vocab) {
        Tokenizer tok = load(vocab);
        SchemaCheck judge = new SchemaCheck("{\"type\":\"object\"}");
        for (long seed = 1; seed <= 3; seed++) {
            String text = walk(TokenConstraints.strict(Grammar.jsonObject(), tok), tok, new SplittableRandom(seed));
            assertThat(judge.errors(text)).as(text).isEmpty();
        }
    }

    /**
     * Generates until the constraint is complete (or, when it could go on, at a coin toss): each step draws random
     * logits, takes the best token when the constraint allows it, else masks and takes the best allowed one. Tokens
     * holding a quote or a closing bracket get a boost, like a model that does close its strings and objects, so that
     * free-form strings end.
     */
    static String walk(TokenConstraint c, Tokenizer tok, SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = tok.vocabSize();
        float[] boost = closerBoost(tok);
        float[] logits = new float[n];
        for (int step = 0; step < 4000; step++) {
            if (c.mustEnd() || (c.canEnd() && random.nextInt(4) == 0)) {
                return out.toString(StandardCharsets.UTF_8);
            }
            for (int i = 0; i < n; i++) {
                logits[i] = (float) random.nextGaussian() + boost[i];
            }
            int id = argmax(logits);
            if (tok.isEndOfGeneration(id) ? !c.canEnd() : !c.allows(id)) {
                c.mask(logits);
                id = argmax(logits);
                assertThat(logits[id]).as("some token is allowed").isGreaterThan(Float.NEGATIVE_INFINITY);
                assertThat(tok.isEndOfGeneration(id) ? c.canEnd() : c.allows(id)).as("masked choice allowed").isTrue();
            }
            if (tok.isEndOfGeneration(id)) {
                return out.toString(StandardCharsets.UTF_8);
            }
            c.accept(id);
            out.writeBytes(tok.tokenBytes(id));
        }
        throw new AssertionError("no end after 4000 tokens: " + out.toString(StandardCharsets.UTF_8));
    }

    private static float[] closerBoost(Tokenizer tok) {
        float[] boost = new float[tok.vocabSize()];
        for (int id = 0; id < boost.length; id++) {
            for (byte b : tok.tokenBytes(id)) {
                if (b == '"' || b == '}' || b == ']') {
                    boost[id] = 2.5f;
                }
            }
        }
        return boost;
    }

    static int argmax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[best]) {
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "deepseek-llm"})
    void maskAgreesWithAllows(String vocab) {
        Tokenizer tok = load(vocab);
        TokenConstraint c = TokenConstraints.strict(Grammar.jsonSchema(SchemaCheck.parse(TOOL_ARGS)), tok);
        assertThat(c.canEnd()).as("nothing generated is not a complete object").isFalse();
        SplittableRandom random = new SplittableRandom(11);
        float[] logits = new float[tok.vocabSize()];
        for (int step = 0; step < 12 && !c.mustEnd(); step++) {
            java.util.Arrays.fill(logits, 0f);
            c.mask(logits);
            int allowedCount = 0;
            for (int id = 0; id < logits.length; id++) {
                boolean allowed = tok.isEndOfGeneration(id) ? c.canEnd() : c.allows(id);
                assertThat(logits[id] == 0f).as("token %d at step %d", id, step).isEqualTo(allowed);
                allowedCount += allowed ? 1 : 0;
            }
            assertThat(allowedCount).isPositive();
            int pick = random.nextInt(allowedCount);
            for (int id = 0; id < logits.length; id++) {
                if (logits[id] == 0f && pick-- == 0) {
                    if (tok.isEndOfGeneration(id)) {
                        return;
                    }
                    c.accept(id);
                    break;
                }
            }
        }
    }
}
