package dev.cairn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.EventSink;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import dev.cairn.engine.SamplingParams;
import dev.cairn.gguf.GgufFile;
import dev.cairn.grammar.Grammar;
import dev.cairn.grammar.TokenConstraint;
import dev.cairn.grammar.TokenConstraints;
import dev.cairn.model.LoadOptions;
import dev.cairn.tokenizer.Tokenizer;
import dev.cairn.tokenizer.Tokenizers;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The cost of an output constraint (not a test; a dev tool). Part 1 decodes on a real model through the engine,
 * with and without a json_schema constraint (a tool-arguments schema), until each side has generated at least
 * {@code --tokens} tokens, and reports the decode time per token of both and the time spent inside the constraint.
 * Part 2 (alone when MODEL is "none") replays the constraint alone over other vocabularies (e.g. deepseek-llm's 100k) with random logits, the
 * sampled token refused and masked as often as with a random-weight model, and relates its cost per token to the
 * decode step measured in part 1. {@code --structural} uses a schema without free text, where nearly every step masks.
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.cairn.bench.MaskCostBench MODEL.gguf [--tokens 256] [--threads 2] [--rounds 3] \
 *     [--vocab src/test/resources/vocab/ggml-vocab-deepseek-llm.gguf] [--structural]
 * </pre>
 */
public final class MaskCostBench {
    /** A realistic tool's parameters: nested objects and arrays, free and bounded strings, numbers, formats. */
    static final String SCHEMA = """
            {"type":"object","properties":{
              "title":{"type":"string","description":"What the event is about"},
              "start":{"type":"string","format":"date-time"},
              "duration_minutes":{"type":"integer","minimum":5,"maximum":1440},
              "attendees":{"type":"array","items":{"type":"object","properties":{
                  "name":{"type":"string","maxLength":60},
                  "email":{"type":"string"},
                  "optional":{"type":"boolean"}},"required":["name","email"]},"maxItems":12},
              "location":{"anyOf":[{"type":"string"},{"type":"null"}]},
              "priority":{"enum":["low","normal","high"]},
              "reminders":{"type":"array","items":{"type":"integer","minimum":0,"maximum":10080}},
              "notes":{"type":"string"}
            },"required":["title","start","attendees"],"additionalProperties":false}""";

    /**
     * A worst case for masking: no free text, so a random model's token is refused at almost every step (enums,
     * numbers, dates, booleans, nested arrays).
     */
    static final String STRUCTURAL = """
            {"type":"object","properties":{
              "events":{"type":"array","items":{"type":"object","properties":{
                  "day":{"type":"string","format":"date"},
                  "slot":{"enum":["morning","afternoon","evening"]},
                  "minutes":{"type":"integer","minimum":5,"maximum":480},
                  "room":{"type":"integer","minimum":100,"maximum":999},
                  "online":{"type":"boolean"},
                  "weights":{"type":"array","items":{"type":"number","minimum":0,"maximum":1},"maxItems":4}},
                "required":["day","slot","minutes","room","online"]},"minItems":1}
            },"required":["events"],"additionalProperties":false}""";

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: MaskCostBench MODEL.gguf [--tokens N] [--threads T] [--rounds R] [--vocab V.gguf]...");
            System.exit(2);
        }
        int tokens = 256;
        int threads = 2;
        int rounds = 3;
        List<String> vocabs = new java.util.ArrayList<>();
        String schemaText = SCHEMA;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--tokens" -> tokens = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--vocab" -> vocabs.add(args[++i]);
                case "--structural" -> schemaText = STRUCTURAL;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Grammar grammar = Grammar.jsonSchema(new ObjectMapper().readTree(schemaText));
        double stepMs = Double.NaN;
        if (args[0].equals("none")) {
            int n = tokens;
            vocabs.forEach(v -> replay(Path.of(v), grammar, n, Double.NaN));
            return;
        }
        try (ModelBundle bundle = ModelBundles.load(Path.of(args[0]), null,
                LoadOptions.defaults().withCtxSize(1024).withThreads(threads))) {
            LocalEngine engine = new LocalEngine(bundle, EngineOptions.defaults().withCtxSize(1024));
            engine.warmUp();
            Tokenizer tok = bundle.tokenizer();
            int[] prompt = tok.encode("Create a calendar event for the design review with the team.", true, true);
            System.out.printf(Locale.ROOT, "model %s, vocabulary %d tokens, %d threads, %d tokens per side, %d rounds%n",
                    args[0], tok.vocabSize(), threads, tokens, rounds);
            // The first constrained request compiles the grammar and builds the vocabulary trie: timed on its own.
            long t0 = System.nanoTime();
            TokenConstraints.strict(grammar, tok);
            System.out.printf(Locale.ROOT, "grammar compile + vocabulary trie (first use): %.1f ms%n",
                    (System.nanoTime() - t0) / 1e6);
            double freeSum = 0;
            double constrainedSum = 0;
            double insideSum = 0;
            for (int r = 0; r < rounds; r++) {
                Side free = decode(engine, prompt, tokens, null, r);
                Side constrained = decode(engine, prompt, tokens, grammar, r);
                freeSum += free.msPerToken();
                constrainedSum += constrained.msPerToken();
                insideSum += constrained.constraintMsPerToken();
                System.out.printf(Locale.ROOT, "round %d: free %.1f ms/token (%d tokens); constrained %.1f ms/token "
                                + "(%d tokens, %d requests, %d masks); inside the constraint %.2f ms/token (%.1f%% of the"
                                + " free step)%n", r + 1, free.msPerToken(), free.tokens, constrained.msPerToken(),
                        constrained.tokens, constrained.requests, constrained.masks, constrained.constraintMsPerToken(),
                        100 * constrained.constraintMsPerToken() / free.msPerToken());
            }
            stepMs = freeSum / rounds;
            System.out.printf(Locale.ROOT, "mean: free %.1f ms/token, constrained %.1f ms/token (%+.1f%%), inside the"
                            + " constraint %.2f ms/token = %.1f%% of decode%n", stepMs, constrainedSum / rounds,
                    100 * (constrainedSum - freeSum) / freeSum, insideSum / rounds, 100 * insideSum / freeSum);
            engine.close();
        }
        for (String v : vocabs) {
            replay(Path.of(v), grammar, tokens, stepMs);
        }
    }

    record Side(int tokens, double decodeMs, int requests, int masks, double constraintMs) {
        double msPerToken() {
            return decodeMs / tokens;
        }

        double constraintMsPerToken() {
            return constraintMs / tokens;
        }
    }

    /** Generates until {@code tokens} tokens (a constrained output that completes starts a new request). */
    private static Side decode(LocalEngine engine, int[] prompt, int tokens, Grammar grammar, int round) throws Exception {
        int generated = 0;
        double decodeMs = 0;
        int requests = 0;
        int masks = 0;
        double inside = 0;
        while (generated < tokens) {
            Timed constraint = grammar == null ? null
                    : new Timed(TokenConstraints.strict(grammar, engine.model().tokenizer()));
            SamplingParams sampling = new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 64, 0f, 0f, 1000L * round + requests);
            CompletableFuture<EngineEvent> end = new CompletableFuture<>();
            EventSink sink = e -> {
                if (e instanceof EngineEvent.Done || e instanceof EngineEvent.Error) {
                    end.complete(e);
                }
            };
            engine.submit(new GenerationRequest(null, prompt, sampling, tokens - generated, List.of(), constraint), sink);
            EngineEvent e = end.get();
            if (!(e instanceof EngineEvent.Done done)) {
                throw new IllegalStateException("generation failed: " + e);
            }
            generated += done.generatedTokens();
            decodeMs += done.decodeMs();
            requests++;
            if (constraint != null) {
                masks += constraint.masks;
                inside += constraint.nanos / 1e6;
            }
        }
        return new Side(generated, decodeMs, requests, masks, inside);
    }

    /**
     * The constraint alone over another vocabulary: random logits stand for a random-weight model (so the sampled
     * token is refused about as often), the best allowed token is taken, outputs restart when complete.
     */
    private static void replay(Path vocab, Grammar grammar, int tokens, double stepMs) {
        Tokenizer tok;
        try (GgufFile f = GgufFile.open(vocab)) {
            tok = Tokenizers.fromGguf(f);
        }
        long t0 = System.nanoTime();
        TokenConstraints.strict(grammar, tok);
        double buildMs = (System.nanoTime() - t0) / 1e6;
        SplittableRandom random = new SplittableRandom(7);
        float[] logits = new float[tok.vocabSize()];
        int masks = 0;
        long nanos = 0;
        Timed c = new Timed(TokenConstraints.strict(grammar, tok));
        for (int n = 0; n < tokens; n++) {
            if (c.mustEnd()) {
                masks += c.masks;
                nanos += c.nanos;
                c = new Timed(TokenConstraints.strict(grammar, tok));
            }
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) random.nextGaussian();
            }
            int id = argmax(logits);
            if (tok.isEndOfGeneration(id) || !c.allows(id)) {
                c.mask(logits);
                id = argmax(logits);
            }
            if (tok.isEndOfGeneration(id)) {
                c = new Timed(TokenConstraints.strict(grammar, tok));
                continue;
            }
            c.accept(id);
        }
        masks += c.masks;
        nanos += c.nanos;
        double perToken = nanos / 1e6 / tokens;
        System.out.printf(Locale.ROOT, "vocabulary %s (%d tokens): compile + trie %.0f ms; inside the constraint %.2f "
                        + "ms/token over %d tokens (%d masks) = %.1f%% of the %.1f ms decode step%n", vocab.getFileName(),
                tok.vocabSize(), buildMs, perToken, tokens, masks, 100 * perToken / stepMs, stepMs);
    }

    private static int argmax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Times every call into a constraint. */
    static final class Timed implements TokenConstraint {
        private final TokenConstraint inner;
        long nanos;
        int masks;

        Timed(TokenConstraint inner) {
            this.inner = inner;
        }

        @Override
        public boolean allows(int tokenId) {
            long t = System.nanoTime();
            boolean r = inner.allows(tokenId);
            nanos += System.nanoTime() - t;
            return r;
        }

        @Override
        public void mask(float[] logits) {
            long t = System.nanoTime();
            inner.mask(logits);
            nanos += System.nanoTime() - t;
            masks++;
        }

        @Override
        public void accept(int tokenId) {
            long t = System.nanoTime();
            inner.accept(tokenId);
            nanos += System.nanoTime() - t;
        }

        @Override
        public boolean canEnd() {
            long t = System.nanoTime();
            boolean r = inner.canEnd();
            nanos += System.nanoTime() - t;
            return r;
        }

        @Override
        public boolean mustEnd() {
            long t = System.nanoTime();
            boolean r = inner.mustEnd();
            nanos += System.nanoTime() - t;
            return r;
        }
    }
}
