package dev.cairn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.catalog.ModelLocator;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import dev.cairn.engine.SamplingParams;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Raw completion of a prompt (no chat template), streamed to stdout as tokens arrive. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Raw completion of a prompt (no chat template): prints only the continuation, as it is generated.",
                "Greedy by default (temperature 0); give --temperature (and --seed) to sample.",
                "Prefill progress goes to stderr: a bar on a terminal, one JSON line per event with --progress."})
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "GGUF model: a path, or a name from `cairn models`.")
    String model;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT",
            description = "Prompt text; BOS is added as the model's metadata says.")
    String prompt;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "32", paramLabel = "N", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T", description = "0 = greedy (default); above 0 samples.")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", paramLabel = "K", description = "Sampling: keep the K most likely tokens, 0 = off (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", paramLabel = "P", description = "Sampling: nucleus probability, 1 = off (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", paramLabel = "P", description = "Sampling: drop tokens below P x the best one's probability (default ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", paramLabel = "R", description = "Penalty on the last 64 tokens, 1 = off (default ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed for sampling (same seed, same output).")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop at this text (not printed); repeatable.")
    List<String> stop = List.of();

    @Option(names = "--prefill-chunk", defaultValue = "512", paramLabel = "C", description = "Prompt tokens per batched pass (default ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "T", description = "Worker threads, 0 = one per core.")
    int threads;

    @Option(names = {"-c", "--ctx-size"}, defaultValue = "0", paramLabel = "N", description = "Context size, 0 = the model's, capped at 8192.")
    int ctxSize;

    @Option(names = "--ids", description = "Print the generated token ids, space-separated, instead of text.")
    boolean ids;

    @Option(names = "--progress", description = "Write each queue, prefill-progress and done event as one JSON line to stderr.")
    boolean progressJson;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() {
        if (maxTokens < 1) {
            System.err.println("error: -n must be at least 1");
            return 2;
        }
        EngineOptions options = new EngineOptions(1, prefillChunk, ctxSize, threads);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        boolean terminal = Terminals.stderrIsTerminal();

        Path path = ModelLocator.system().resolve(model);
        try (ModelBundle bundle = ModelBundles.load(path, null, options);
             LocalEngine engine = new LocalEngine(bundle, options)) {
            if (terminal && bundle.model().memoryEstimate() != null) {
                err.println("loaded " + bundle.id() + ": " + bundle.model().memoryEstimate().describe());
            }
            int[] tokens = bundle.tokenizer().encode(prompt, true, true);
            SamplingParams sampling = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, 64, 0f, 0f, seed);
            GenerationRequest request = new GenerationRequest("generate", tokens, sampling, maxTokens, stop);
            engine.validate(request);

            CountDownLatch finished = new CountDownLatch(1);
            AtomicReference<EngineEvent> last = new AtomicReference<>();
            boolean[] first = {true};
            ProgressBar bar = terminal && !progressJson ? new ProgressBar(err, "Prompt", ProgressBar.Unit.TOKENS) : null;
            engine.submit(request, event -> {
                switch (event) {
                    case EngineEvent.Token t -> {
                        if (bar != null && first[0]) {
                            bar.clear();
                        }
                        if (!ids) {
                            out.print(t.text());
                            first[0] = false;
                        } else if (!bundle.tokenizer().isEndOfGeneration(t.tokenId())) {
                            // (an end token only ever comes to release held-back text: it is not a generated id)
                            out.print((first[0] ? "" : " ") + t.tokenId());
                            first[0] = false;
                        }
                        out.flush();
                    }
                    case EngineEvent.PrefillProgress p when bar != null ->
                            bar.update(p.processedTokens(), p.totalTokens(), p.tokensPerSecond(), p.etaMs());
                    default -> { }
                }
                if (progressJson && !(event instanceof EngineEvent.Token)) {
                    err.println(toJson(event));
                }
                if (event instanceof EngineEvent.Done || event instanceof EngineEvent.Error) {
                    last.set(event);
                    finished.countDown();
                }
            });
            finished.await();
            out.println();
            if (last.get() instanceof EngineEvent.Error e) {
                err.println("error: " + e.message());
                return 1;
            }
            EngineEvent.Done done = (EngineEvent.Done) last.get();
            if (terminal && !progressJson) {
                err.println(summary(done));
            }
            return done.reason() == EngineEvent.FinishReason.CANCELLED ? 130 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static String summary(EngineEvent.Done d) {
        double decodeRate = d.decodeMs() > 0 ? d.generatedTokens() * 1000.0 / d.decodeMs() : 0;
        return String.format(Locale.ROOT, "%d prompt tokens (%d cached) in %d ms, %d generated in %d ms (%.1f tokens/s), finish: %s",
                d.promptTokens(), d.cachedTokens(), d.prefillMs(), d.generatedTokens(), d.decodeMs(), decodeRate,
                d.reason().name().toLowerCase(Locale.ROOT));
    }

    /** An event as one JSON object, field names as the server's progress lines use them. */
    static String toJson(EngineEvent event) {
        ObjectNode o = JSON.createObjectNode();
        switch (event) {
            case EngineEvent.Queued q -> o.put("event", "queued").put("position", q.position());
            case EngineEvent.PrefillProgress p -> {
                o.put("event", "prefill_progress").put("processed_tokens", p.processedTokens())
                        .put("total_tokens", p.totalTokens()).put("cached_tokens", p.cachedTokens())
                        .put("elapsed_ms", p.elapsedMs());
                if (p.tokensPerSecond() == null) {
                    o.putNull("tokens_per_second");
                } else {
                    o.put("tokens_per_second", Math.round(p.tokensPerSecond() * 10) / 10.0);
                }
                if (p.etaMs() == null) {
                    o.putNull("eta_ms");
                } else {
                    o.put("eta_ms", p.etaMs());
                }
            }
            case EngineEvent.Token t -> o.put("event", "token").put("id", t.tokenId()).put("text", t.text());
            case EngineEvent.Done d -> {
                o.put("event", "done").put("finish_reason", d.reason().name().toLowerCase(Locale.ROOT));
                if (d.stopString() != null) {
                    o.put("stop", d.stopString());
                }
                o.put("prompt_tokens", d.promptTokens()).put("cached_tokens", d.cachedTokens())
                        .put("generated_tokens", d.generatedTokens()).put("prefill_ms", d.prefillMs())
                        .put("decode_ms", d.decodeMs());
            }
            case EngineEvent.Error e -> o.put("event", "error").put("message", e.message());
        }
        return o.toString();
    }
}
