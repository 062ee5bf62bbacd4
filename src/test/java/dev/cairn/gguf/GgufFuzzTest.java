package dev.cairn.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of corrupted files (flipped bytes, length fields set to huge values, truncations): every open must
 * either succeed, with all metadata and tensor data then readable, or throw GgufException. Nothing else.
 */
class GgufFuzzTest {
    private static final long[] HUGE = {-1L, Long.MAX_VALUE, 1L << 31, (1L << 32) - 1, 1L << 40, 0x7FFF_FFFFL, Long.MIN_VALUE};

    @TempDir
    Path dir;

    private int opened;
    private int rejected;
    private final List<String> crashes = new ArrayList<>();

    /** A small file with every metadata value type, nested arrays and tensors of three layouts. */
    private byte[] richFile() throws Exception {
        Path p = dir.resolve("rich.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.putString("general.architecture", "llama")
                    .putUInt32("general.alignment", 32)
                    .put("u8", GgufValueType.UINT8, 7).put("i8", GgufValueType.INT8, -7)
                    .put("u16", GgufValueType.UINT16, 700).put("i16", GgufValueType.INT16, -700)
                    .putInt32("i32", -70000).putUInt64("u64", 1L << 40).put("i64", GgufValueType.INT64, -5L)
                    .putFloat32("f32", 0.5f).put("f64", GgufValueType.FLOAT64, 2.5).putBool("b", true)
                    .putArray("strs", new GgufArray(GgufValueType.STRING, new String[] {"a", "bc", "def"}))
                    .putArray("floats", new GgufArray(GgufValueType.FLOAT32, new float[] {1, 2, 3, 4}))
                    .putArray("nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                            new GgufArray(GgufValueType.UINT8, new int[] {1, 2}),
                            new GgufArray(GgufValueType.STRING, new String[] {"x"})}));
            w.addTensor("a", GgmlType.F32, 8, 2);
            w.addTensor("b", GgmlType.Q8_0, 64);
            w.addTensor("c", GgmlType.Q4_K, 256);
            w.writeFloats(new float[16], 0, 16);
            float[] v = new float[256];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.cos(i);
            }
            w.writeFloats(v, 0, 64);
            w.writeFloats(v, 0, 256);
        }
        return Files.readAllBytes(p);
    }

    private static int headerLength(byte[] file) {
        try (GgufFile f = GgufFile.read("x", file)) {
            return (int) f.dataOffset();
        }
    }

    private void check(String what, byte[] bytes) {
        try (GgufFile f = GgufFile.read("fuzz.gguf", bytes)) {
            exercise(f);
            opened++;
        } catch (GgufException e) {
            assertThat(e.getMessage()).isNotBlank();
            rejected++;
        } catch (Throwable t) {
            if (crashes.size() < 20) {
                crashes.add(what + ": " + t);
            }
        }
    }

    private static void exercise(GgufFile f) {
        for (String k : f.metadata().keySet()) {
            String.valueOf(f.metadata().get(k));
            f.metadataType(k);
        }
        f.architecture();
        f.getInt("general.alignment", 0);
        f.getFloat("f32", 0);
        f.getStringArray("strs");
        for (TensorInfo t : f.tensors().values()) {
            var data = f.tensorData(t);
            if (Dequantize.supports(t.type()) && t.elementCount() >= t.type().blockSize) {
                float[] out = new float[t.type().blockSize];
                Dequantize.row(t.type(), data, 0, out, 0, out.length);
            }
        }
    }

    @Test
    void corruptedFilesOpenOrFailWithGgufExceptionOnly() throws Exception {
        byte[] rich = richFile();
        byte[] real = Files.readAllBytes(GgufFileTest.resource("aidreams260K-q4_0-mixed.gguf"));
        SplittableRandom rng = new SplittableRandom(20260101);
        int richHeader = headerLength(rich);
        int realHeader = headerLength(real);

        // 1. every 8-byte window of the rich file's header set to each huge value (hits every length and count field)
        for (int off = 0; off + 8 <= richHeader; off++) {
            for (long v : HUGE) {
                byte[] b = rich.clone();
                for (int i = 0; i < 8; i++) {
                    b[off + i] = (byte) (v >>> (8 * i));
                }
                check("huge " + v + " at " + off, b);
            }
        }
        // 2. 32-bit windows too (types, dimension counts, versions)
        for (int off = 0; off + 4 <= richHeader; off++) {
            for (int v : new int[] {-1, Integer.MAX_VALUE, 13, 9, 1 << 20}) {
                byte[] b = rich.clone();
                for (int i = 0; i < 4; i++) {
                    b[off + i] = (byte) (v >>> (8 * i));
                }
                check("int " + v + " at " + off, b);
            }
        }
        // 3. random byte flips, mostly in the headers
        for (int i = 0; i < 3000; i++) {
            byte[] base = i % 2 == 0 ? rich : real;
            int header = i % 2 == 0 ? richHeader : realHeader;
            byte[] b = base.clone();
            int flips = 1 + rng.nextInt(6);
            for (int k = 0; k < flips; k++) {
                int at = rng.nextInt(10) < 8 ? rng.nextInt(header) : rng.nextInt(b.length);
                b[at] ^= (byte) (1 + rng.nextInt(255));
            }
            check("flips #" + i, b);
        }
        // 4. huge values at random places of the real model's header (its vocabulary arrays)
        for (int i = 0; i < 1500; i++) {
            byte[] b = real.clone();
            int off = rng.nextInt(realHeader - 8);
            long v = HUGE[rng.nextInt(HUGE.length)];
            for (int k = 0; k < 8; k++) {
                b[off + k] = (byte) (v >>> (8 * k));
            }
            check("real huge at " + off, b);
        }
        // 5. every truncation of the rich file, and random ones of the real one
        for (int len = 0; len < rich.length; len++) {
            check("truncated to " + len, Arrays.copyOf(rich, len));
        }
        for (int i = 0; i < 300; i++) {
            int len = rng.nextInt(real.length);
            check("real truncated to " + len, Arrays.copyOf(real, len));
        }
        assertThat(crashes).as("exceptions other than GgufException").isEmpty();
        assertThat(rejected).as("mutations must be detected").isGreaterThan(5000);
        assertThat(opened).as("harmless mutations still open").isGreaterThan(100);
    }

    @Test
    void truncatedFilesOnDiskAreRejectedThroughTheMapping() throws Exception {
        byte[] rich = richFile();
        long end;
        try (GgufFile f = GgufFile.read("rich", rich)) {
            end = f.dataOffset() + f.tensors().values().stream().mapToLong(t -> t.offset() + t.byteSize()).max().orElseThrow();
        }
        assertThat(end).isGreaterThan(rich.length - 32); // only alignment padding follows the last tensor
        Path p = dir.resolve("cut.gguf");
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            int len = rng.nextInt((int) end);
            Files.write(p, Arrays.copyOf(rich, len));
            try (GgufFile f = GgufFile.open(p)) {
                throw new AssertionError("a file cut to " + len + " of " + rich.length + " bytes opened: " + f);
            } catch (GgufException e) {
                assertThat(e.getMessage()).containsAnyOf("truncated", "out of bounds", "not a GGUF file");
            }
        }
    }
}
