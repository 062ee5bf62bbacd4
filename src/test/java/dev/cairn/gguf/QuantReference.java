package dev.cairn.gguf;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The F32 input behind the llama.cpp byte-exactness expectations (src/test/resources/quant/llama-cpp-reference.txt):
 * a one-layer llama of dim 256 whose weights come from a fixed formula, including rows that hit the quantizers'
 * edge cases. To regenerate the expectations (needs llama.cpp; see that file's header):
 * {@code java -cp target/classes:target/test-classes dev.cairn.gguf.QuantReference OUT.gguf} writes the input.
 */
final class QuantReference {
    static final SyntheticModel.Shape SHAPE = new SyntheticModel.Shape("quant-ref", 256, 1, 4, 4, 512, 128);

    private QuantReference() {}

    /** Row {@code r} of tensor {@code name}: edge cases in the first rows of each matrix, then varied random rows. */
    static float[] row(String name, int r, int cols) {
        float[] x = new float[cols];
        SplittableRandom rng = new SplittableRandom(name.hashCode() * 1_000_003L + r);
        switch (r) {
            case 0 -> { } // all zeros
            case 1 -> java.util.Arrays.fill(x, 0.5f);
            case 2 -> java.util.Arrays.fill(x, -3f);
            case 3 -> fill(x, rng, 0, 1e-9f);          // scales far below fp16's range
            case 4 -> fill(x, rng, 0, 300f);           // large values
            case 5 -> { fill(x, rng, 0, 0.01f); x[cols / 3] = 5f; x[cols / 2] = -7f; } // outliers
            case 6 -> fill(x, rng, 1f, 0.5f);          // all positive
            case 7 -> fill(x, rng, -1f, 0.5f);         // all negative
            case 8 -> { for (int i = 0; i < cols; i++) { x[i] = (i % 17) - 8; } } // exact small integers (ties)
            default -> {
                float scale = (float) Math.pow(10, rng.nextDouble(-2, 1));
                for (int i = 0; i < cols; i++) {
                    x[i] = (float) ((rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 1.5) * scale);
                }
            }
        }
        return x;
    }

    private static void fill(float[] x, SplittableRandom rng, float center, float amp) {
        for (int i = 0; i < x.length; i++) {
            x[i] = center + amp * (float) (2 * rng.nextDouble() - 1);
        }
    }

    /** Writes the F32 input: the metadata and tensor list of a synthetic llama of {@link #SHAPE}, data from {@link #row}. */
    static void writeInput(Path out, Path scratch) {
        Path layout = SyntheticModel.write(scratch, new SyntheticModel.Spec("llama", SHAPE, GgmlType.F32, 0));
        try (GgufFile src = GgufFile.open(layout); GgufWriter w = GgufWriter.create(out)) {
            w.copyMetadata(src, k -> true);
            for (TensorInfo t : src.tensors().values()) {
                w.addTensor(t.name(), GgmlType.F32, t.shape());
            }
            for (TensorInfo t : src.tensors().values()) {
                int cols = (int) t.shape()[0];
                int rows = (int) (t.elementCount() / cols);
                for (int r = 0; r < rows; r++) {
                    w.writeFloats(row(t.name(), r, cols), 0, cols);
                }
            }
        }
    }

    /**
     * SHA-256 of the bytes cairn's quantizer makes of tensor {@code name} (shape {cols, rows}) in {@code type} (index 0)
     * and of the little-endian F32 values its dequantizer gives back from them (index 1).
     */
    static String[] hashes(String name, int cols, int rows, GgmlType type) throws Exception {
        MessageDigest quant = MessageDigest.getInstance("SHA-256");
        MessageDigest dequant = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[Math.toIntExact(type.byteSize(cols))];
        float[] back = new float[cols];
        byte[] f32 = new byte[cols * 4];
        for (int r = 0; r < rows; r++) {
            Quantize.row(type, row(name, r, cols), 0, cols, MemorySegment.ofArray(buf), 0);
            quant.update(buf);
            Dequantize.row(type, MemorySegment.ofArray(buf), 0, back, 0, cols);
            MemorySegment.copy(back, 0, MemorySegment.ofArray(f32), Bytes.F32, 0, cols);
            dequant.update(f32);
        }
        return new String[] {HexFormat.of().formatHex(quant.digest()), HexFormat.of().formatHex(dequant.digest())};
    }

    private static String hash(GgufFile f, TensorInfo t) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(f.tensorData(t).asByteBuffer());
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * {@code input OUT.gguf} writes the input. {@code hashes QUANTIZED.gguf DEQUANTIZED.gguf} prints expectation lines
     * ("quant TYPE TENSOR SHA256" and "dequant TYPE TENSOR SHA256") for the matrices of a llama-quantize output and of
     * its conversion back to F32 by llama-quantize.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("input")) {
            Path tmp = Path.of(args[1] + ".layout.tmp");
            writeInput(Path.of(args[1]), tmp);
            java.nio.file.Files.delete(tmp);
            return;
        }
        try (GgufFile q = GgufFile.open(Path.of(args[1])); GgufFile d = GgufFile.open(Path.of(args[2]))) {
            for (TensorInfo t : q.tensors().values()) {
                if (t.shape().length == 2) {
                    System.out.println("quant " + t.type() + " " + t.name() + " " + hash(q, t));
                    System.out.println("dequant " + t.type() + " " + t.name() + " " + hash(d, d.tensor(t.name())));
                }
            }
        }
    }
}
