package dev.cairn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.catalog.ModelLocator;
import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.model.KvCache;
import dev.cairn.model.LoadOptions;
import dev.cairn.model.Model;
import dev.cairn.model.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prefill and decode speed, measured as llama-bench measures pp/tg: random token ids, a warm-up run, then a prefill of
 * the prompt in chunks from an empty cache and, separately, one-token decode steps from an empty cache.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure prefill and decode tokens/s (comparable to llama-bench -p P -n N).",
                "--synthetic SHAPE --type TYPE writes a random-weight model of that shape once (to $CAIRN_CACHE or ~/.cache/cairn, under synthetic/) and benches it."})
public final class BenchCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model: a path, or a name from `cairn models`.")
        String model;

        @Option(names = "--synthetic", paramLabel = "SHAPE",
                description = "Bench a random-weight model of this shape instead: test, tiny, 100m, 160m, tinyllama-1.1b.")
        String synthetic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--type", defaultValue = "q8_0", paramLabel = "TYPE",
            description = "Weight type of a --synthetic model: f32, f16, bf16, q8_0, q4_0, q4_k... (default ${DEFAULT-VALUE}).")
    String type;

    @Option(names = {"-p", "--prompt-tokens"}, defaultValue = "512", paramLabel = "P", description = "Prompt tokens to prefill (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"-n", "--gen-tokens"}, defaultValue = "128", paramLabel = "N", description = "Tokens to decode (default ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "T", description = "Worker threads, 0 = one per core.")
    int threads;

    @Option(names = "--prefill-chunk", defaultValue = "512", paramLabel = "C", description = "Prompt tokens per batched pass (default ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = {"-d", "--depth"}, defaultValue = "0", paramLabel = "D",
            description = "Tokens already in the context when prefill and decode are timed (like llama-bench -d; default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--json", description = "Print one JSON object (last line) with prefill_tokens_per_second and decode_tokens_per_second.")
    boolean json;

    @Override
    public Integer call() {
        if (promptTokens < 1 || genTokens < 1 || prefillChunk < 1) {
            System.err.println("error: --prompt-tokens, --gen-tokens and --prefill-chunk must be at least 1");
            return 2;
        }
        if (depth < 0) {
            System.err.println("error: --depth must not be negative");
            return 2;
        }
        Path path = source.model != null ? ModelLocator.system().resolve(source.model)
                : syntheticModel(source.synthetic, type);
        int ctx = depth + promptTokens + genTokens;
        try (GgufFile file = GgufFile.open(path);
             Model model = ModelLoader.load(file, LoadOptions.defaults().withCtxSize(ctx).withThreads(threads))) {
            int vocab = model.config().vocabSize();
            int[] prompt = randomTokens(vocab, promptTokens, 1);
            int[] gen = randomTokens(vocab, genTokens, 2);
            KvCache cache = model.newCache(ctx);
            fillContext(model, cache, randomTokens(vocab, depth, 3));
            int poolThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            System.err.printf(Locale.ROOT, "bench %s: %d prompt tokens (chunk %d), %d decode tokens, %d threads%s%n",
                    path.getFileName(), promptTokens, prefillChunk, genTokens, poolThreads,
                    depth > 0 ? ", after " + depth + " tokens of context" : "");
            if (model.memoryEstimate() != null) {
                System.err.println("memory: " + model.memoryEstimate().describe());
            }

            // Warm-up: the JIT compiles the kernels on the first passes; timing them would measure the compiler.
            prefill(model, cache, prompt);
            decode(model, cache, gen, Math.min(genTokens, 16));

            long prefillNanos = prefill(model, cache, prompt);
            long decodeNanos = decode(model, cache, gen, genTokens);
            double prefillRate = promptTokens / (prefillNanos / 1e9);
            double decodeRate = genTokens / (decodeNanos / 1e9);

            System.out.printf(Locale.ROOT, "prefill: %d tokens in %.2f s = %.2f tokens/s%n", promptTokens,
                    prefillNanos / 1e9, prefillRate);
            System.out.printf(Locale.ROOT, "decode:  %d tokens in %.2f s = %.2f tokens/s%n", genTokens,
                    decodeNanos / 1e9, decodeRate);
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("model", path.toString()).put("prompt_tokens", promptTokens).put("gen_tokens", genTokens)
                        .put("threads", poolThreads).put("prefill_chunk", prefillChunk).put("depth", depth)
                        .put("prefill_tokens_per_second", round2(prefillRate))
                        .put("decode_tokens_per_second", round2(decodeRate))
                        .put("prefill_ms", prefillNanos / 1_000_000).put("decode_ms", decodeNanos / 1_000_000);
                System.out.println(o);
            }
            return 0;
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Fixed pseudo-random ids (as llama-bench uses random ones), avoiding the special ids at the start of vocabularies. */
    private static int[] randomTokens(int vocab, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int lo = Math.min(3, vocab - 1);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = lo + r.nextInt(vocab - lo);
        }
        return ids;
    }

    /** The {@code --depth} context, computed once; each timed run truncates the cache back to it. */
    private void fillContext(Model model, KvCache cache, int[] context) {
        if (context.length > 0) {
            System.err.printf(Locale.ROOT, "context: computing %d tokens (not timed) ...%n", context.length);
        }
        for (int from = 0; from < context.length; from += prefillChunk) {
            model.forward(cache, context, from, Math.min(prefillChunk, context.length - from), false);
        }
    }

    /** The prompt after the context in chunks; only the last chunk computes logits, as in a real prefill. */
    private long prefill(Model model, KvCache cache, int[] prompt) {
        cache.truncate(depth);
        long t0 = System.nanoTime();
        for (int from = 0; from < prompt.length; from += prefillChunk) {
            int count = Math.min(prefillChunk, prompt.length - from);
            model.forward(cache, prompt, from, count, from + count == prompt.length);
        }
        return System.nanoTime() - t0;
    }

    /** {@code n} single-token steps after the context, each with logits (llama-bench's tg test). */
    private long decode(Model model, KvCache cache, int[] tokens, int n) {
        cache.truncate(depth);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            model.forward(cache, tokens, i, 1, true);
        }
        return System.nanoTime() - t0;
    }

    /** Writes (once) and returns a random-weight model of a preset shape, cached across runs. */
    static Path syntheticModel(String shapeName, String typeName) {
        SyntheticModel.Shape shape = SyntheticModel.Shape.byName(shapeName);
        GgmlType weightType = parseType(typeName);
        Path dir = cacheDir().resolve("synthetic"); // ModelLocations.syntheticModels(), where `models` lists them
        Path out = dir.resolve(shape.name() + "-" + weightType.name().toLowerCase(Locale.ROOT) + ".gguf");
        if (Files.isRegularFile(out)) {
            System.err.println("synthetic model: " + out + " (reused)");
            return out;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
            System.err.println("synthetic model: writing " + out + " ...");
            try {
                SyntheticModel.write(tmp, new SyntheticModel.Spec("llama", shape, weightType, 42));
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic model under " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static GgmlType parseType(String name) {
        try {
            return GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weight type '" + name + "' (e.g. f32, f16, q8_0, q4_0, q4_k)");
        }
    }

    /** Property cairn.cache (tests), else cairn's cache as `models` finds it ($CAIRN_CACHE, $XDG_CACHE_HOME/cairn, ~/.cache/cairn). */
    static Path cacheDir() {
        String prop = System.getProperty("cairn.cache");
        return prop != null && !prop.isBlank() ? Path.of(prop) : dev.cairn.catalog.ModelLocations.system().cairnCache();
    }
}
