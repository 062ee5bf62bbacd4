package dev.cairn.gguf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Writes complete random-weight models (llama, qwen2, qwen3) that both cairn and llama.cpp load: every hparam
 * under the architecture's prefix, a real SentencePiece vocabulary, and tensors named and shaped as llama.cpp
 * expects. Weights are deterministic for a seed and spread widely enough (fan-in scaled, not 0.02) that greedy
 * decoding has clear winners. Written as a stream: memory stays at a few MiB whatever the shape.
 */
public final class SyntheticModel {
    /** Vocabulary of the small shapes: the 512-token SentencePiece vocab of the aidreams260K model. */
    static final String SMALL_VOCAB = "/cairn/vocab/spm-512.gguf";
    /** Vocabulary of the benchmark shapes: llama.cpp's Llama SentencePiece test vocab (32000 tokens). */
    static final String LLAMA_VOCAB = "/cairn/vocab/llama-spm-32000.gguf";

    private static final int CHUNK_FLOATS = 1 << 20;

    private SyntheticModel() {}

    /** Model dimensions; the named presets match ../shared/ref/make-random-gguf's shapes. */
    public record Shape(String name, int dim, int layers, int heads, int kvHeads, int ffnDim, int contextLength) {
        /** Tiny and fast, for unit tests (512-token vocabulary). */
        public static final Shape TEST = new Shape("test", 64, 2, 4, 2, 192, 256);
        public static final Shape TINY = new Shape("tiny", 256, 2, 4, 2, 768, 4096);
        /** About 100M parameters (for the dashboard browser test). */
        public static final Shape M100 = new Shape("100m", 768, 8, 12, 4, 2048, 2048);
        public static final Shape M160 = new Shape("160m", 1024, 8, 16, 4, 2816, 4096);
        public static final Shape TINYLLAMA_1B = new Shape("tinyllama-1.1b", 2048, 22, 32, 4, 5632, 4096);

        private static final List<Shape> PRESETS = List.of(TEST, TINY, M100, M160, TINYLLAMA_1B);
        private static final List<Shape> BENCHMARK = List.of(TINY, M100, M160, TINYLLAMA_1B);

        /** Benchmark presets carry Llama's real 32000-token vocabulary; other shapes a 512-token one that keeps them small. */
        public boolean fullVocabulary() {
            return BENCHMARK.contains(this);
        }

        public Shape {
            if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffnDim <= 0 || contextLength <= 0) {
                throw new IllegalArgumentException("shape " + name + ": every dimension must be positive");
            }
            if (dim % heads != 0 || heads % kvHeads != 0) {
                throw new IllegalArgumentException("shape " + name + ": dim must divide by heads and heads by kvHeads");
            }
        }

        public int headDim() {
            return dim / heads;
        }

        /** A preset by its name: test, tiny, 100m, 160m, tinyllama-1.1b. */
        public static Shape byName(String name) {
            for (Shape s : PRESETS) {
                if (s.name.equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown model shape '" + name + "' (known: "
                    + String.join(", ", PRESETS.stream().map(Shape::name).toList()) + ")");
        }

        public static List<Shape> presets() {
            return PRESETS;
        }
    }

    /**
     * What to write. {@code architecture} is "llama", "qwen2" or "qwen3"; matrices use {@code weightType} where their
     * rows allow it (see {@link #matrixType}); {@code tiedOutput} omits output.weight so the embedding is reused.
     */
    public record Spec(String architecture, Shape shape, GgmlType weightType, long seed, boolean tiedOutput) {
        public Spec(String architecture, Shape shape, GgmlType weightType, long seed) {
            this(architecture, shape, weightType, seed, false);
        }

        public Spec {
            if (!List.of("llama", "qwen2", "qwen3").contains(architecture)) {
                throw new IllegalArgumentException("synthetic models are llama, qwen2 or qwen3, not '" + architecture + "'");
            }
            if (!weightType.weights()) {
                throw new IllegalArgumentException("cannot write weights of type " + weightType);
            }
        }
    }

    /** One tensor to write: ggml shape {cols, rows} (or {n} for vectors) and how its values are drawn. */
    private record Planned(String name, GgmlType type, int cols, int rows, Init init) {}

    private enum Init { EMBEDDING, MATRIX, NORM, BIAS }

    /** Writes the model to {@code out} and returns {@code out}. */
    public static Path write(Path out, Spec spec) {
        try (GgufFile vocab = loadVocab(spec.shape())) {
            return write(out, spec, vocab);
        }
    }

    /**
     * Writes the model with the tokenizer (every {@code tokenizer.*} key, chat template included) of {@code vocab}
     * instead of the shape's own, so tests can give a random-weight model a real family's special tokens and template.
     * The embedding and output matrices get one row per token of {@code vocab}, which stays open.
     */
    public static Path write(Path out, Spec spec, GgufFile vocab) {
        try (GgufWriter w = GgufWriter.create(out)) {
            List<Planned> plan = plan(spec, vocabSize(vocab));
            writeMetadata(w, spec, vocab);
            for (Planned p : plan) {
                if (p.rows() == 1) {
                    w.addTensor(p.name(), p.type(), p.cols());
                } else {
                    w.addTensor(p.name(), p.type(), p.cols(), p.rows());
                }
            }
            for (Planned p : plan) {
                writeTensor(w, p, spec.seed());
            }
        }
        return out;
    }

    /** Number of weights (all tensors) the spec produces. */
    public static long parameterCount(Spec spec) {
        try (GgufFile vocab = loadVocab(spec.shape())) {
            long n = 0;
            for (Planned p : plan(spec, vocabSize(vocab))) {
                n += (long) p.cols() * p.rows();
            }
            return n;
        }
    }

    /**
     * The type a matrix with rows of {@code cols} values gets: {@code wanted} when {@code cols} is a multiple of its
     * block, otherwise the fallback llama.cpp's quantizer uses for such rows (Q4_K -> Q5_0, Q5_K -> Q5_1,
     * Q6_K -> Q8_0, Q2_K/Q3_K -> Q4_0 as llama.cpp did before IQ4_NL; 32-blocks -> F16).
     */
    public static GgmlType matrixType(GgmlType wanted, int cols) {
        if (cols % wanted.blockSize == 0) {
            return wanted;
        }
        GgmlType fallback = switch (wanted) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            default -> GgmlType.F16;
        };
        return cols % fallback.blockSize == 0 ? fallback : GgmlType.F16;
    }

    /** llama.cpp's general.file_type (enum llama_ftype) for a model whose matrices are mostly {@code t}. */
    static int fileType(GgmlType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q2_K -> 10;
            case Q3_K -> 11; // Q3_K_S: every matrix Q3_K
            case Q4_K -> 14; // Q4_K_S: every matrix Q4_K
            case Q5_K -> 16; // Q5_K_S
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("no llama file type for " + t);
        };
    }

    private static List<Planned> plan(Spec spec, int vocab) {
        Shape s = spec.shape();
        int kvDim = s.headDim() * s.kvHeads();
        GgmlType wt = spec.weightType();
        List<Planned> plan = new ArrayList<>();
        plan.add(new Planned("token_embd.weight", matrixType(wt, s.dim()), s.dim(), vocab, Init.EMBEDDING));
        for (int i = 0; i < s.layers(); i++) {
            String b = "blk." + i + ".";
            plan.add(new Planned(b + "attn_norm.weight", GgmlType.F32, s.dim(), 1, Init.NORM));
            plan.add(new Planned(b + "attn_q.weight", matrixType(wt, s.dim()), s.dim(), s.dim(), Init.MATRIX));
            plan.add(new Planned(b + "attn_k.weight", matrixType(wt, s.dim()), s.dim(), kvDim, Init.MATRIX));
            plan.add(new Planned(b + "attn_v.weight", matrixType(wt, s.dim()), s.dim(), kvDim, Init.MATRIX));
            if (spec.architecture().equals("qwen2")) {
                plan.add(new Planned(b + "attn_q.bias", GgmlType.F32, s.dim(), 1, Init.BIAS));
                plan.add(new Planned(b + "attn_k.bias", GgmlType.F32, kvDim, 1, Init.BIAS));
                plan.add(new Planned(b + "attn_v.bias", GgmlType.F32, kvDim, 1, Init.BIAS));
            }
            if (spec.architecture().equals("qwen3")) {
                plan.add(new Planned(b + "attn_q_norm.weight", GgmlType.F32, s.headDim(), 1, Init.NORM));
                plan.add(new Planned(b + "attn_k_norm.weight", GgmlType.F32, s.headDim(), 1, Init.NORM));
            }
            plan.add(new Planned(b + "attn_output.weight", matrixType(wt, s.dim()), s.dim(), s.dim(), Init.MATRIX));
            plan.add(new Planned(b + "ffn_norm.weight", GgmlType.F32, s.dim(), 1, Init.NORM));
            plan.add(new Planned(b + "ffn_gate.weight", matrixType(wt, s.dim()), s.dim(), s.ffnDim(), Init.MATRIX));
            plan.add(new Planned(b + "ffn_up.weight", matrixType(wt, s.dim()), s.dim(), s.ffnDim(), Init.MATRIX));
            plan.add(new Planned(b + "ffn_down.weight", matrixType(wt, s.ffnDim()), s.ffnDim(), s.dim(), Init.MATRIX));
        }
        plan.add(new Planned("output_norm.weight", GgmlType.F32, s.dim(), 1, Init.NORM));
        if (!spec.tiedOutput()) {
            plan.add(new Planned("output.weight", matrixType(wt, s.dim()), s.dim(), vocab, Init.MATRIX));
        }
        return plan;
    }

    private static void writeMetadata(GgufWriter w, Spec spec, GgufFile vocab) {
        Shape s = spec.shape();
        String a = spec.architecture();
        w.putString("general.architecture", a);
        w.putString("general.name", "cairn-synthetic-" + a + "-" + s.name() + "-" + spec.weightType().name().toLowerCase(Locale.ROOT));
        w.putUInt32("general.alignment", 32);
        w.putUInt32("general.file_type", fileType(spec.weightType()));
        w.putUInt32("general.quantization_version", 2);
        w.putUInt32(a + ".context_length", s.contextLength());
        w.putUInt32(a + ".embedding_length", s.dim());
        w.putUInt32(a + ".block_count", s.layers());
        w.putUInt32(a + ".feed_forward_length", s.ffnDim());
        w.putUInt32(a + ".attention.head_count", s.heads());
        w.putUInt32(a + ".attention.head_count_kv", s.kvHeads());
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", a.equals("llama") ? 1e-5f : 1e-6f);
        w.putFloat32(a + ".rope.freq_base", a.equals("llama") ? 10000f : 1000000f);
        w.putUInt32(a + ".rope.dimension_count", s.headDim());
        if (a.equals("qwen3")) {
            w.putUInt32(a + ".attention.key_length", s.headDim());
            w.putUInt32(a + ".attention.value_length", s.headDim());
        }
        w.putUInt32(a + ".vocab_size", vocabSize(vocab));
        w.copyMetadata(vocab, k -> k.startsWith("tokenizer."));
    }

    private static void writeTensor(GgufWriter w, Planned p, long seed) {
        long tensorSeed = seed * 0x9E3779B97F4A7C15L + p.name().hashCode();
        int rowsPerChunk = Math.max(1, CHUNK_FLOATS / p.cols());
        int rowBytes = Math.toIntExact(p.type().byteSize(p.cols()));
        byte[] bytes = new byte[Math.min(rowsPerChunk, p.rows()) * rowBytes];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        for (int r0 = 0; r0 < p.rows(); r0 += rowsPerChunk) {
            int first = r0;
            int n = Math.min(rowsPerChunk, p.rows() - r0);
            // Each row has its own generator, so rows can be drawn and quantized in parallel yet stay deterministic.
            IntStream.range(0, n).parallel().forEach(i -> {
                float[] row = new float[p.cols()];
                fill(row, p, new SplittableRandom(tensorSeed + 0x632BE59BD9B4E019L * (first + i)));
                Quantize.row(p.type(), row, 0, row.length, seg, (long) i * rowBytes);
            });
            w.writeData(bytes, 0, n * rowBytes);
        }
    }

    private static void fill(float[] row, Planned p, SplittableRandom rng) {
        // Uniform draws scaled to the wanted standard deviation (uniform on [-a, a] has std a / sqrt(3)).
        float center;
        float amp;
        switch (p.init()) {
            case EMBEDDING -> { center = 0; amp = (float) Math.sqrt(3); }
            case MATRIX -> { center = 0; amp = (float) Math.sqrt(3.0 / p.cols()); }
            case NORM -> { center = 1; amp = 0.25f; }
            case BIAS -> { center = 0; amp = 0.25f; }
            default -> throw new IllegalStateException();
        }
        for (int i = 0; i < row.length; i++) {
            row[i] = center + amp * (float) (2 * rng.nextDouble() - 1);
        }
    }

    private static int vocabSize(GgufFile vocab) {
        return vocab.getStringArray("tokenizer.ggml.tokens").length;
    }

    static GgufFile loadVocab(Shape shape) {
        String res = shape.fullVocabulary() ? LLAMA_VOCAB : SMALL_VOCAB;
        try (InputStream in = SyntheticModel.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("vocabulary resource " + res + " is missing from the build");
            }
            return GgufFile.read(res, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
