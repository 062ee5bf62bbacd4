package dev.cairn.server;

import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.model.LoadOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real models the server tests run on: random-weight GGUFs written by {@link SyntheticModel} (once per test JVM),
 * loaded with the real loader, tokenizer and chat template, run by the real engine.
 */
final class TestModels {
    private static final Map<String, Path> FILES = new HashMap<>();

    private TestModels() {
    }

    /** Small and quick (dim 64, 2 layers, 512-token vocabulary): shapes, errors, SDKs. */
    static ModelBundle small(int ctx) {
        return load(file("test", new SyntheticModel.Spec("llama", SyntheticModel.Shape.TEST, GgmlType.F32, 7)), ctx, 1);
    }

    /** Larger (dim 256, 32000-token vocabulary, 4096 context): long prompts to queue behind, disconnect from, cancel. */
    static ModelBundle larger(int ctx) {
        return load(largerFile(), ctx, 2);
    }

    /** The file behind {@link #larger}. */
    static Path largerFile() {
        return file("tiny", new SyntheticModel.Spec("llama", SyntheticModel.Shape.TINY, GgmlType.F32, 11));
    }

    private static synchronized Path file(String name, SyntheticModel.Spec spec) {
        return FILES.computeIfAbsent(name, n -> {
            try {
                Path dir = Files.createTempDirectory("cairn-server-test");
                dir.toFile().deleteOnExit();
                Path out = dir.resolve("synthetic-" + n + ".gguf");
                out.toFile().deleteOnExit();
                return SyntheticModel.write(out, spec);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static ModelBundle load(Path path, int ctx, int threads) {
        return ModelBundles.load(path, null, LoadOptions.defaults().withCtxSize(ctx).withThreads(threads));
    }
}
