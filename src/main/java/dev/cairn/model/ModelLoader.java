package dev.cairn.model;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufException;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.TensorInfo;
import dev.cairn.tensor.ThreadPool;
import dev.cairn.tensor.WeightMatrices;
import dev.cairn.tensor.WeightMatrix;
import dev.cairn.tensor.WorkerPool;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Builds a {@link TransformerModel} from a GGUF file: hyper-parameters from metadata as llama.cpp reads them, weights
 * wrapped in place (memory-mapped, never copied), and a memory check before anything large is allocated.
 */
public final class ModelLoader {
    /** Chunk size the work-buffer estimate assumes (the engine's default prefill chunk). */
    static final int ESTIMATE_CHUNK = 512;

    private final GgufFile file;
    private final Architecture arch;
    private long weightBytes;

    private ModelLoader(GgufFile file, Architecture arch) {
        this.file = file;
        this.arch = arch;
    }

    /** Loads with a new worker pool of {@code opts.threads()} threads, owned (and closed) by the model. */
    public static TransformerModel load(GgufFile file, LoadOptions opts) {
        ModelLoader loader = new ModelLoader(file, Architecture.of(file.architecture()));
        return loader.build(opts, null);
    }

    /** Loads using a pool the caller owns and closes. */
    public static TransformerModel load(GgufFile file, LoadOptions opts, ThreadPool pool) {
        ModelLoader loader = new ModelLoader(file, Architecture.of(file.architecture()));
        return loader.build(opts, pool);
    }

    private TransformerModel build(LoadOptions opts, ThreadPool sharedPool) {
        ModelConfig c = config();
        Rope rope = rope(c);
        int ctx = opts.effectiveCtxSize(c.contextLength());
        int threads = sharedPool != null ? sharedPool.threads() : opts.effectiveThreads();

        WeightMatrix embedding = matrix("token_embd.weight", c.vocabSize(), c.dim());
        float[] outputNorm = vector("output_norm.weight", c.dim());
        WeightMatrix output = c.tiedOutput() ? embedding : matrix("output.weight", c.vocabSize(), c.dim());
        LayerWeights[] layers = new LayerWeights[c.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = layer(c, l);
        }

        MemoryEstimate memory = new MemoryEstimate(weightBytes,
                opts.sequences() * ArrayKvCache.bytesFor(c, opts.kvType(), ctx),
                TransformerModel.workspaceBytes(c, ESTIMATE_CHUNK, threads, ctx), ctx, opts.kvType(), opts.sequences(),
                ESTIMATE_CHUNK);
        checkMemory(memory, c, threads);

        ThreadPool pool = sharedPool != null ? sharedPool : new WorkerPool(threads);
        return new TransformerModel(c, rope, embedding, outputNorm, output, layers, pool, sharedPool == null,
                opts, ctx, memory);
    }

    private ModelConfig config() {
        String p = arch.id + ".";
        int dim = required(p + "embedding_length");
        int layers = required(p + "block_count");
        int heads = required(p + "attention.head_count");
        int kvHeads = optional(p + "attention.head_count_kv", heads);
        int headDim = optional(p + "attention.key_length", heads > 0 ? dim / heads : 0);
        int valueDim = optional(p + "attention.value_length", headDim);
        int ffn = required(p + "feed_forward_length");
        int ctx = required(p + "context_length");
        float eps = file.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f);
        float theta = file.getFloat(p + "rope.freq_base", 10000f);
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || ffn <= 0 || ctx <= 0) {
            throw bad("has non-positive dimensions (embedding " + dim + ", layers " + layers + ", heads " + heads
                    + ", kv heads " + kvHeads + ", head dim " + headDim + ", ffn " + ffn + ", context " + ctx + ")");
        }
        int experts = optional(p + "expert_count", 0);
        if (experts > 0) {
            throw bad("is a mixture-of-experts model (" + experts + " experts, e.g. Mixtral), which cairn does not run");
        }
        if (heads % kvHeads != 0) {
            throw bad("has " + heads + " attention heads, not a multiple of its " + kvHeads + " KV heads");
        }
        if (valueDim != headDim) {
            throw bad("has value heads of " + valueDim + " and key heads of " + headDim + " dimensions; cairn needs them equal");
        }
        TensorInfo emb = tensorInfo("token_embd.weight");
        if (emb.shape().length != 2 || emb.shape()[0] != dim) {
            throw bad("tensor 'token_embd.weight' has shape " + Arrays.toString(emb.shape()) + ", expected [" + dim + ", vocab]");
        }
        int vocab = Math.toIntExact(emb.shape()[1]);
        boolean tied = file.tensor("output.weight") == null;
        return new ModelConfig(arch.id, vocab, dim, layers, heads, kvHeads, headDim, ffn, ctx, eps, theta,
                arch.ropeNeox, tied);
    }

    /** RoPE as llama.cpp sets it up: linear scaling unless the type is "none", YaRN; LongRoPE not supported. */
    private Rope rope(ModelConfig c) {
        String p = arch.id + ".";
        int dims = optional(p + "rope.dimension_count", c.headDim());
        if (dims <= 0 || dims > c.headDim() || dims % 2 != 0) {
            throw bad("has rope.dimension_count " + dims + " for heads of " + c.headDim() + " dimensions");
        }
        String type = file.getString(p + "rope.scaling.type", "linear");
        float factor = file.getFloat(p + "rope.scaling.factor", 0f);
        if (factor == 0f) {
            factor = file.getFloat(p + "rope.scale_linear", 0f);
        }
        float scale = factor == 0f ? 1f : 1f / factor;
        float[] factors = null;
        if (file.tensor("rope_freqs.weight") != null) {
            factors = vector("rope_freqs.weight", dims / 2);
        }
        return switch (type) {
            case "none" -> Rope.plain(dims, c.ropeTheta(), 1f, factors, arch.ropeNeox);
            case "linear" -> Rope.plain(dims, c.ropeTheta(), scale, factors, arch.ropeNeox);
            case "yarn" -> Rope.yarn(dims, c.ropeTheta(), scale, factors, arch.ropeNeox,
                    optional(p + "rope.scaling.original_context_length", c.contextLength()),
                    file.getFloat(p + "rope.scaling.attn_factor", 1f));
            default -> throw new ModelLoadException(file.path().getFileName() + ": RoPE scaling '" + type
                    + "' is not supported (cairn supports linear, YaRN and Llama 3 frequency factors)");
        };
    }

    private LayerWeights layer(ModelConfig c, int l) {
        String b = "blk." + l + ".";
        int qDim = c.heads() * c.headDim(), kvDim = c.kvHeads() * c.headDim();
        boolean bias = file.tensor(b + "attn_q.bias") != null;
        return new LayerWeights(
                vector(b + "attn_norm.weight", c.dim()),
                matrix(b + "attn_q.weight", qDim, c.dim()),
                matrix(b + "attn_k.weight", kvDim, c.dim()),
                matrix(b + "attn_v.weight", kvDim, c.dim()),
                matrix(b + "attn_output.weight", c.dim(), qDim),
                bias ? vector(b + "attn_q.bias", qDim) : null,
                bias ? vector(b + "attn_k.bias", kvDim) : null,
                bias ? vector(b + "attn_v.bias", kvDim) : null,
                arch.qkNorm ? vector(b + "attn_q_norm.weight", c.headDim()) : null,
                arch.qkNorm ? vector(b + "attn_k_norm.weight", c.headDim()) : null,
                vector(b + "ffn_norm.weight", c.dim()),
                matrix(b + "ffn_gate.weight", c.ffnDim(), c.dim()),
                matrix(b + "ffn_up.weight", c.ffnDim(), c.dim()),
                matrix(b + "ffn_down.weight", c.dim(), c.ffnDim()));
    }

    private void checkMemory(MemoryEstimate m, ModelConfig c, int threads) {
        // Heap use grows with the context (KV caches, per-thread attention scratch) on top of the chunk buffers.
        long perPosition = m.sequences() * ArrayKvCache.bytesFor(c, m.kvType(), 1)
                + TransformerModel.workspaceBytesPerPosition(c, threads);
        long fixed = m.heapBytes() - perPosition * m.ctxSize();
        long physical = physicalMemory();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long heapFree = rt.maxMemory() - used;
        if (physical > 0 && m.totalBytes() > physical) {
            throw new ModelLoadException(String.format(Locale.ROOT,
                    "not enough memory: weights (%s) plus the KV cache for %d tokens%s (%s) and buffers (%s) exceed "
                            + "the machine's %s; %s",
                    MemoryEstimate.mib(m.weightBytes()), m.ctxSize(), slots(m), MemoryEstimate.mib(m.kvBytes()),
                    MemoryEstimate.mib(m.workspaceBytes()), MemoryEstimate.mib(physical),
                    lower(Math.min(physical - m.weightBytes(), heapFree) - fixed, perPosition,
                            "use a smaller or more quantized model")));
        }
        if (m.heapBytes() > heapFree) {
            long neededGiB = (used + m.heapBytes()) / (1L << 30) + 1;
            String moreHeap = physical <= 0 || (neededGiB << 30) + m.weightBytes() < physical
                    ? "give Java more heap (e.g. CAIRN_JAVA_OPTS=-Xmx" + neededGiB + "g)" : null;
            throw new ModelLoadException(String.format(Locale.ROOT,
                    "not enough memory: the KV cache for a context of %d tokens%s needs %s (%s) plus %s of buffers, "
                            + "but the Java heap has %s free; %s",
                    m.ctxSize(), slots(m), MemoryEstimate.mib(m.kvBytes()), m.kvType(),
                    MemoryEstimate.mib(m.workspaceBytes()), MemoryEstimate.mib(heapFree),
                    lower(heapFree - fixed, perPosition, moreHeap)));
        }
    }

    private static String slots(MemoryEstimate m) {
        return m.sequences() > 1 ? " in each of " + m.sequences() + " slots" : "";
    }

    /** "lower --ctx-size (at most about N fits)", and/or the alternative. */
    private static String lower(long budget, long perPosition, String alternative) {
        long fits = Math.max(0, budget) / perPosition / 256 * 256;
        if (fits == 0) {
            return alternative != null ? alternative : "even a small context does not fit";
        }
        return "lower --ctx-size (at most about " + fits + " fits)" + (alternative != null ? " or " + alternative : "");
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    // ---- tensors ----

    private TensorInfo tensorInfo(String name) {
        TensorInfo t = file.tensor(name);
        if (t == null) {
            throw bad("is missing tensor '" + name + "' (needed by architecture " + arch.id + ")");
        }
        if (!WeightMatrices.isSupported(t.type())) {
            throw bad("tensor '" + name + "' has type " + t.type() + ", which cairn cannot compute with (supported: "
                    + GgmlType.names(GgmlType.weightTypes()) + ")");
        }
        return t;
    }

    private WeightMatrix matrix(String name, int rows, int cols) {
        TensorInfo t = tensorInfo(name);
        long[] s = t.shape();
        if (s.length != 2 || s[0] != cols || s[1] != rows) {
            throw bad("tensor '" + name + "' has shape " + Arrays.toString(s) + ", expected [" + cols + ", " + rows + "]");
        }
        weightBytes += t.byteSize();
        return wrap(t, rows, cols);
    }

    private float[] vector(String name, int n) {
        TensorInfo t = tensorInfo(name);
        if (t.elementCount() != n || t.shape()[0] != n) {
            throw bad("tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", expected [" + n + "]");
        }
        weightBytes += t.byteSize();
        float[] v = new float[n];
        wrap(t, 1, n).dequantizeRow(0, v, 0);
        return v;
    }

    private WeightMatrix wrap(TensorInfo t, int rows, int cols) {
        try {
            return WeightMatrices.of(t.type(), file.tensorData(t), rows, cols);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw bad("tensor '" + t.name() + "' (" + t.type() + ", " + rows + "x" + cols + ") cannot be used: " + e.getMessage());
        }
    }

    // ---- metadata ----

    private int required(String key) {
        if (!file.has(key)) {
            throw bad("is missing metadata '" + key + "'");
        }
        return optional(key, 0);
    }

    private int optional(String key, int def) {
        try {
            long v = file.getLong(key, def);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw bad("metadata '" + key + "' = " + v + " is out of range");
            }
            return (int) v;
        } catch (GgufException e) {
            throw bad("metadata '" + key + "' cannot be used (" + e.getMessage() + "); cairn needs one integer, "
                    + "not per-layer values");
        }
    }

    private ModelLoadException bad(String what) {
        return new ModelLoadException(file.path().getFileName() + " (" + arch.id + "): " + what);
    }
}
