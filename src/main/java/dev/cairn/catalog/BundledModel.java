package dev.cairn.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The tiny real model shipped inside the jar (aidreams260K: a 260K-parameter Llama, 128-token context), so a fresh
 * checkout can chat before any model is downloaded. It is extracted once to cairn's cache: the engine maps files,
 * not classpath resources.
 */
public final class BundledModel {
    public static final String RESOURCE = "/cairn/models/aidreams260K-f32.gguf";
    public static final String FILE_NAME = "aidreams260K-f32.gguf";

    private BundledModel() {
    }

    /** Its size, for listings that do not extract it; -1 when the jar lacks it. */
    public static final long SIZE_BYTES = resourceSize();

    private static long resourceSize() {
        try (InputStream in = BundledModel.class.getResourceAsStream(RESOURCE)) {
            return in == null ? -1 : in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            return -1;
        }
    }

    /** The extracted file under {@code cacheDir}, written (atomically) when missing or of the wrong size. */
    public static Path extract(Path cacheDir) {
        Path target = cacheDir.resolve(FILE_NAME);
        try (InputStream in = BundledModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled demo model " + RESOURCE + " is missing from the jar");
            }
            byte[] data = in.readAllBytes();
            if (Files.isRegularFile(target) && Files.size(target) == data.length) {
                return target;
            }
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, FILE_NAME, ".part");
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled demo model to " + target + ": " + e.getMessage(), e);
        }
    }
}
