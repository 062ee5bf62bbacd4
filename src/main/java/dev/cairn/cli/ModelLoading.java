package dev.cairn.cli;

import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Loads a model with a progress bar when loading is slow. A cold load is dominated by reading the weights from disk
 * (the loader maps the file), so the file is first read through once with a byte-counting bar, shown only after a
 * second. A model already in the page cache is not read again.
 */
public final class ModelLoading {
    private static final int BUFFER = 4 << 20;

    private ModelLoading() {
    }

    public static ModelBundle load(Path file, String alias, EngineOptions options, PrintStream err) {
        warm(file, err);
        return ModelBundles.load(file, alias, options);
    }

    /** Reads the file once so its pages are cached, drawing a bar on {@code err} if that takes over a second. */
    static void warm(Path file, PrintStream err) {
        ProgressBar bar = ProgressBar.forStderr(err, "Loading " + file.getFileName(), ProgressBar.Unit.BYTES)
                .showAfterMs(1000).minIntervalMs(100);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = ch.size();
            if (size == 0 || ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena).isLoaded()) {
                return; // already in the page cache (mincore): reading it again would only cost time
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            long done = 0;
            for (int n; (n = ch.read(buf)) > 0; buf.clear()) {
                done += n;
                bar.update(done, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            bar.finish();
        }
    }
}
