package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.EngineEvent.Done;
import dev.cairn.engine.EngineEvent.FinishReason;
import dev.cairn.grammar.Grammar;
import dev.cairn.grammar.TokenConstraint;
import dev.cairn.grammar.TokenConstraints;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Generation under an output constraint, on the fake model (whose preferences ignore any grammar): the output follows
 * the grammar, end tokens wait until it is complete, a complete output ends the generation, and limits still apply.
 */
class ConstrainedGenerationTest {
    private final FakeModel model = new FakeModel();
    private final FakeTokenizer tokenizer = new FakeTokenizer();
    private LocalEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private LocalEngine engine() {
        engine = new LocalEngine(new ModelBundle("fake", null, model, tokenizer, null), EngineOptions.defaults()
                .withCtxSize(64));
        return engine;
    }

    private static final int[] PROMPT = {1, 5, 9, 12};

    private Recorder run(TokenConstraint constraint, int maxTokens, SamplingParams sampling) {
        Recorder rec = new Recorder();
        engine().submit(new GenerationRequest(null, PROMPT, sampling, maxTokens, List.of(), constraint), rec);
        rec.awaitEnd();
        return rec;
    }

    @Test
    void forcedGrammarGivesValidOutputWhateverTheModelPrefers() {
        Grammar g = Grammar.sequence(Grammar.literal("id "), Grammar.repeat(Grammar.byteRange('0', '9'), 1, 4),
                Grammar.literal(" ok!"));
        for (long seed = 1; seed <= 5; seed++) {
            SamplingParams sampling = new SamplingParams(1.5f, 0, 1f, 0f, 1.1f, 64, 0f, 0f, seed);
            Recorder rec = run(TokenConstraints.strict(g, tokenizer), 40, sampling);
            assertThat(rec.text()).matches("id [0-9]{1,4} ok!");
            // The grammar's last byte leaves nothing to follow: the generation ends there, as if the model had stopped.
            assertThat(rec.awaitDone().reason()).isEqualTo(FinishReason.EOS);
        }
    }

    @Test
    void endOfGenerationWaitsUntilTheOutputIsComplete() {
        // The model wants to stop at once; the grammar needs at least two letters first.
        model.eosAtPosition = PROMPT.length;
        Recorder rec = run(TokenConstraints.strict(Grammar.repeat(Grammar.byteRange('a', 'z'), 2, -1), tokenizer), 20,
                SamplingParams.greedy());
        Done done = rec.awaitDone();
        // The end token was refused at the start and the model never asks for it again: letters to the limit.
        assertThat(rec.text()).matches("[a-z]{20}");
        assertThat(done.reason()).isEqualTo(FinishReason.LENGTH);

        // Once complete, the model's end token is taken.
        model.eosAtPosition = PROMPT.length + 2;
        Recorder second = run(TokenConstraints.strict(Grammar.repeat(Grammar.byteRange('a', 'z'), 2, -1), tokenizer), 20,
                SamplingParams.greedy());
        assertThat(second.text()).matches("[a-z]{2}");
        assertThat(second.awaitDone().reason()).isEqualTo(FinishReason.EOS);
        assertThat(second.awaitDone().generatedTokens()).isEqualTo(2);
    }

    @Test
    void lengthLimitInsideTheGrammarEndsWithLength() {
        Recorder rec = run(TokenConstraints.strict(Grammar.literal("abcdefgh"), tokenizer), 3, SamplingParams.greedy());
        assertThat(rec.text()).isEqualTo("abc");
        assertThat(rec.awaitDone().reason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void masksOnlyWhenTheSampledTokenIsRefused() {
        // A grammar that accepts exactly what the model would say anyway: nothing is ever masked.
        int[] greedy = new int[6];
        int last = PROMPT[PROMPT.length - 1];
        for (int i = 0; i < greedy.length; i++) {
            last = FakeModel.next(last, PROMPT.length - 1 + i);
            greedy[i] = last;
        }
        Counting own = new Counting(TokenConstraints.strict(Grammar.literal(tokenizer.decode(greedy)), tokenizer));
        Recorder rec = run(own, 20, SamplingParams.greedy());
        assertThat(rec.tokenIds()).containsExactly(greedy);
        assertThat(own.masks).isZero();
        assertThat(own.accepted).isEqualTo(greedy.length);

        Counting other = new Counting(TokenConstraints.strict(Grammar.literal("zzz"), tokenizer));
        Recorder forced = run(other, 20, SamplingParams.greedy());
        assertThat(forced.text()).isEqualTo("zzz");
        assertThat(other.masks).isEqualTo(3);
    }

    @Test
    void aConstraintThatAllowsNothingEndsWithAnError() {
        TokenConstraint nothing = new TokenConstraint() {
            @Override
            public boolean allows(int tokenId) {
                return false;
            }

            @Override
            public void mask(float[] logits) {
                Arrays.fill(logits, Float.NEGATIVE_INFINITY);
            }

            @Override
            public void accept(int tokenId) {
                throw new AssertionError("nothing may be accepted");
            }

            @Override
            public boolean canEnd() {
                return false;
            }

            @Override
            public boolean mustEnd() {
                return false;
            }
        };
        EngineEvent end = run(nothing, 5, SamplingParams.greedy()).awaitEnd();
        assertThat(end).isInstanceOf(EngineEvent.Error.class);
        assertThat(((EngineEvent.Error) end).message()).contains("allows no token");
    }

    @Test
    void samplerNeverDrawsAMaskedToken() {
        float[] logits = new float[FakeModel.VOCAB];
        Arrays.fill(logits, Float.NEGATIVE_INFINITY);
        logits[7] = -3f;
        logits[30] = -2.5f;
        for (SamplingParams p : List.of(SamplingParams.greedy(), new SamplingParams(1f, 40, 0.95f, 0.05f, 1.3f, 64, 0.5f,
                0.5f, 3L), new SamplingParams(2f, 0, 1f, 0f, 1f, 64, 0f, 0f, 4L), new SamplingParams(0.7f, 3, 0.5f,
                0f, 1f, 0, 0f, 0f, 5L))) {
            Sampler s = new Sampler(p, FakeModel.VOCAB, IntStream.range(0, 40).toArray());
            for (int i = 0; i < 200; i++) {
                assertThat(s.sample(logits)).isIn(7, 30);
            }
        }
    }

    /** Counts what the engine asks of a constraint. */
    private static final class Counting implements TokenConstraint {
        final TokenConstraint inner;
        int masks;
        int accepted;

        Counting(TokenConstraint inner) {
            this.inner = inner;
        }

        @Override
        public boolean allows(int tokenId) {
            return inner.allows(tokenId);
        }

        @Override
        public void mask(float[] logits) {
            masks++;
            inner.mask(logits);
        }

        @Override
        public void accept(int tokenId) {
            accepted++;
            inner.accept(tokenId);
        }

        @Override
        public boolean canEnd() {
            return inner.canEnd();
        }

        @Override
        public boolean mustEnd() {
            return inner.mustEnd();
        }
    }
}
