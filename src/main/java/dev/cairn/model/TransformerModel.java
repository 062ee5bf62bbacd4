package dev.cairn.model;

import dev.cairn.tensor.MatvecGroup;
import dev.cairn.tensor.ThreadPool;
import dev.cairn.tensor.WeightMatrices;
import dev.cairn.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The Llama-family forward pass (llama, qwen2, qwen3). A call processes a chunk of tokens as one batch: every weight
 * matrix is multiplied against the whole chunk (one GEMM per matrix, weights read once per chunk), attention is causal
 * over the cache plus the chunk, and the output projection runs only for the last position when logits are wanted.
 * Activations are fp32 throughout; a chunk of one token takes the matrix-vector path.
 *
 * <p>Calls are serialized (the per-chunk buffers are shared); use one cache per sequence.
 */
public final class TransformerModel implements Model {
    /** Below this many rows, element-wise steps run on the calling thread (forking costs more than they do). */
    private static final int PARALLEL_ROWS = 16;
    /** Query rows per attention task: small enough to spread a chunk over the threads, large enough to amortize
     *  converting an F16 head of the cache to floats. */
    private static final int ATTENTION_BLOCK = 16;

    private final ModelConfig config;
    private final Rope rope;
    private final WeightMatrix tokenEmbedding;
    private final float[] outputNorm;
    private final WeightMatrix output;
    private final LayerWeights[] layers;
    /** Per layer, the decode products that share an input, each run in one fork/join: Q/K/V, and gate/up. */
    private final MatvecGroup[] qkv, gateUp;
    private final ThreadPool pool;
    private final boolean ownsPool;
    private final LoadOptions options;
    private final int ctxSize;
    private final MemoryEstimate memory;
    private final Attention attention;
    private final int qDim, kvDim;
    private final ThreadLocal<AttentionScratch> scratch = ThreadLocal.withInitial(AttentionScratch::new);
    private Activations act;
    private boolean closed;

    TransformerModel(ModelConfig config, Rope rope, WeightMatrix tokenEmbedding, float[] outputNorm, WeightMatrix output,
                     LayerWeights[] layers, ThreadPool pool, boolean ownsPool, LoadOptions options, int ctxSize,
                     MemoryEstimate memory) {
        this.config = config;
        this.rope = rope;
        this.tokenEmbedding = tokenEmbedding;
        this.outputNorm = outputNorm;
        this.output = output;
        this.layers = layers;
        this.qkv = new MatvecGroup[layers.length];
        this.gateUp = new MatvecGroup[layers.length];
        for (int l = 0; l < layers.length; l++) {
            qkv[l] = WeightMatrices.group(layers[l].wq(), layers[l].wk(), layers[l].wv());
            gateUp[l] = WeightMatrices.group(layers[l].gate(), layers[l].up());
        }
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.options = options;
        this.ctxSize = ctxSize;
        this.memory = memory;
        this.attention = new Attention(config.headDim());
        this.qDim = config.heads() * config.headDim();
        this.kvDim = config.kvHeads() * config.headDim();
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    /** The context size chosen at load ({@code --ctx-size} or the default); {@link #newCache()} uses it. */
    @Override
    public int ctxSize() {
        return ctxSize;
    }

    public LoadOptions options() {
        return options;
    }

    @Override
    public MemoryEstimate memoryEstimate() {
        return memory;
    }

    public ThreadPool pool() {
        return pool;
    }

    /** A cache of the load-time context size and KV type. */
    public KvCache newCache() {
        return newCache(ctxSize);
    }

    @Override
    public KvCache newCache(int size) {
        return new ArrayKvCache(config, options.kvType(), size);
    }

    @Override
    public synchronized float[] forward(KvCache cache, int[] tokens, int from, int count, boolean wantLogits) {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
        if (!(cache instanceof ArrayKvCache kv) || !kv.belongsTo(config)) {
            throw new IllegalArgumentException("the KV cache was not made by this model's newCache");
        }
        if (count <= 0 || from < 0 || from + count > tokens.length) {
            throw new IllegalArgumentException("bad token range: from " + from + ", count " + count + " of " + tokens.length);
        }
        int pos0 = kv.length();
        if (pos0 + count > kv.capacity()) {
            throw new IllegalArgumentException("context full: " + pos0 + " cached + " + count + " new tokens exceed the "
                    + kv.capacity() + " positions of the KV cache");
        }
        for (int t = 0; t < count; t++) {
            int id = tokens[from + t];
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (config.vocabSize() - 1) + ")");
            }
        }
        Activations a = activations(count);
        int dim = config.dim();
        for (int t = 0; t < count; t++) {
            tokenEmbedding.dequantizeRow(tokens[from + t], a.x, t * dim);
        }
        rope.table(pos0, count, a.cos, a.sin);
        for (int l = 0; l < layers.length; l++) {
            layer(l, layers[l], kv, pos0, count, a);
        }
        kv.setLength(pos0 + count);
        if (!wantLogits) {
            return null;
        }
        VectorOps.rmsNorm(a.x, (count - 1) * dim, outputNorm, a.last, 0, dim, config.rmsEps());
        float[] logits = new float[config.vocabSize()];
        output.matvec(a.last, logits, pool);
        return logits;
    }

    private void layer(int l, LayerWeights w, ArrayKvCache kv, int pos0, int n, Activations a) {
        int dim = config.dim();
        int hd = config.headDim();
        float eps = config.rmsEps();
        rows(n, t -> VectorOps.rmsNorm(a.x, t * dim, w.attnNorm(), a.xb, t * dim, dim, eps));
        if (n == 1) {
            qkv[l].matvec(a.xb, a.qkvOut, pool);
        } else {
            w.wq().matmul(a.xb, n, a.q, pool);
            w.wk().matmul(a.xb, n, a.k, pool);
            w.wv().matmul(a.xb, n, a.v, pool);
        }
        if (w.bq() != null) {
            VectorOps.addBias(a.q, n, w.bq());
            VectorOps.addBias(a.k, n, w.bk());
            VectorOps.addBias(a.v, n, w.bv());
        }
        rows(n, t -> {
            if (w.qNorm() != null) {
                for (int h = 0; h < config.heads(); h++) {
                    int o = t * qDim + h * hd;
                    VectorOps.rmsNorm(a.q, o, w.qNorm(), a.q, o, hd, eps);
                }
                for (int h = 0; h < config.kvHeads(); h++) {
                    int o = t * kvDim + h * hd;
                    VectorOps.rmsNorm(a.k, o, w.kNorm(), a.k, o, hd, eps);
                }
            }
            rope.apply(a.q, t * qDim, config.heads(), hd, a.cos, a.sin, t);
            rope.apply(a.k, t * kvDim, config.kvHeads(), hd, a.cos, a.sin, t);
        });
        kv.store(l, pos0, n, a.k, a.v);
        attend(l, kv, pos0, n, a.q, a.att);
        mul(w.wo(), a.att, n, a.xb);
        VectorOps.add(a.x, a.xb, n * dim);
        rows(n, t -> VectorOps.rmsNorm(a.x, t * dim, w.ffnNorm(), a.xb, t * dim, dim, eps));
        if (n == 1) {
            gateUp[l].matvec(a.xb, a.gateUpOut, pool);
        } else {
            w.gate().matmul(a.xb, n, a.gate, pool);
            w.up().matmul(a.xb, n, a.up, pool);
        }
        int ffn = config.ffnDim();
        rows(n, t -> VectorOps.swiglu(a.gate, a.up, t * ffn, ffn));
        mul(w.down(), a.gate, n, a.xb);
        VectorOps.add(a.x, a.xb, n * dim);
    }

    /** Causal attention of the chunk's queries; tasks are (KV head, block of query rows[, part of the head group]). */
    private void attend(int layer, ArrayKvCache kv, int pos0, int n, float[] q, float[] out) {
        int hd = config.headDim();
        int kvHeads = config.kvHeads();
        int group = config.heads() / kvHeads;
        int block = Math.min(n, ATTENTION_BLOCK);
        int blocks = (n + block - 1) / block;
        int units = kvHeads * blocks;
        int wanted = 2 * pool.threads();
        int perSplit = units >= wanted ? group : Math.max(1, group / ((wanted + units - 1) / units));
        int splits = (group + perSplit - 1) / perSplit;
        int perBlock = kvHeads * splits;
        pool.parallelFor(blocks * perBlock, i -> {
            int b = blocks - 1 - i / perBlock; // the longest (latest) blocks first, for balance
            int g = (i % perBlock) / splits;
            int s = i % splits;
            int t0 = b * block, t1 = Math.min(n, t0 + block);
            AttentionScratch sc = scratch.get();
            kv.view(layer, g, pos0 + t1, sc.view);
            int hEnd = Math.min((s + 1) * perSplit, group);
            if (n == 1) { // decode: the heads of the split share each pass over this KV head
                int heads = hEnd - s * perSplit;
                float[] scores = sc.scores(Math.max(4, heads) * (pos0 + 1));
                int off = (g * group + s * perSplit) * hd;
                attention.runHeads(q, off, heads, pos0 + 1, sc.view, out, off, scores);
                return;
            }
            float[] scores = sc.scores(Math.max(4, t1 - t0) * (pos0 + t1 + 1));
            for (int j = s * perSplit; j < hEnd; j++) {
                int off = t0 * qDim + (g * group + j) * hd;
                attention.run(q, off, qDim, t1 - t0, pos0 + t0 + 1, sc.view, out, off, qDim, scores);
            }
        });
    }

    private void mul(WeightMatrix w, float[] x, int n, float[] out) {
        if (n == 1) {
            w.matvec(x, out, pool);
        } else {
            w.matmul(x, n, out, pool);
        }
    }

    private void rows(int n, ThreadPool.IndexTask task) {
        if (n < PARALLEL_ROWS) {
            for (int t = 0; t < n; t++) {
                task.run(t);
            }
        } else {
            pool.parallelFor(n, task);
        }
    }

    /**
     * The matrix-vector products of one decode step, in the order it runs them and grouped as it groups them (the
     * products that share an input run as one {@link MatvecGroup}): per layer Q/K/V, the attention output, gate/up and
     * down, then the vocabulary projection. Each is named for what it computes ({@code qkv}, {@code wo},
     * {@code gate+up}, {@code down}, {@code output}).
     */
    public List<DecodeProduct> decodeProducts() {
        List<DecodeProduct> products = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            products.add(new DecodeProduct("qkv", l, qkv[l]));
            products.add(new DecodeProduct("wo", l, WeightMatrices.group(layers[l].wo())));
            products.add(new DecodeProduct("gate+up", l, gateUp[l]));
            products.add(new DecodeProduct("down", l, WeightMatrices.group(layers[l].down())));
        }
        products.add(new DecodeProduct("output", layers.length, WeightMatrices.group(output)));
        return products;
    }

    /** One matrix-vector product of a decode step (see {@link #decodeProducts()}); {@code layer} is past the last for the vocabulary projection. */
    public record DecodeProduct(String name, int layer, MatvecGroup group) {}

    private Activations activations(int n) {
        if (act == null || act.rows < n) {
            act = new Activations(config, Math.max(n, act == null ? 0 : act.rows), rope.dims() / 2);
        }
        return act;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            act = null;
            if (ownsPool) {
                pool.close();
            }
        }
    }

    /** Buffers for a chunk of up to {@code rows} tokens, reused across calls (grown only for a larger chunk). */
    private static final class Activations {
        final int rows;
        final float[] x, xb, q, k, v, att, gate, up, cos, sin, last;
        /** The output arrays of the Q/K/V and gate/up matvec groups. */
        final float[][] qkvOut, gateUpOut;

        Activations(ModelConfig c, int rows, int ropeHalf) {
            this.rows = rows;
            int qDim = c.heads() * c.headDim(), kvDim = c.kvHeads() * c.headDim();
            x = new float[rows * c.dim()];
            xb = new float[rows * c.dim()];
            q = new float[rows * qDim];
            att = new float[rows * qDim];
            k = new float[rows * kvDim];
            v = new float[rows * kvDim];
            gate = new float[rows * c.ffnDim()];
            up = new float[rows * c.ffnDim()];
            cos = new float[rows * ropeHalf];
            sin = new float[rows * ropeHalf];
            last = new float[c.dim()];
            qkvOut = new float[][] {q, k, v};
            gateUpOut = new float[][] {gate, up};
        }

        static long bytes(ModelConfig c, int rows) {
            long qDim = (long) c.heads() * c.headDim(), kvDim = (long) c.kvHeads() * c.headDim();
            return 4L * rows * (2L * c.dim() + 2 * qDim + 2 * kvDim + 2L * c.ffnDim() + c.headDim()) + 4L * c.vocabSize();
        }
    }

    /** Per-thread attention buffers: converted keys/values of one KV head and the scores of a block of query rows. */
    private static final class AttentionScratch {
        final ArrayKvCache.HeadView view = new ArrayKvCache.HeadView();
        float[] scores = new float[0];

        float[] scores(int n) {
            if (scores.length < n) {
                scores = new float[Math.max(n, scores.length * 2)];
            }
            return scores;
        }
    }

    /** Heap for the buffers of a {@code chunk}-token prefill with a context of {@code ctx}. */
    static long workspaceBytes(ModelConfig c, int chunk, int threads, int ctx) {
        return Activations.bytes(c, chunk) + threads * 4L * ATTENTION_BLOCK + ctx * workspaceBytesPerPosition(c, threads);
    }

    /** The part of {@link #workspaceBytes} that grows with the context: per thread, one head's keys, values, scores. */
    static long workspaceBytesPerPosition(ModelConfig c, int threads) {
        return threads * 4L * (2L * c.headDim() + ATTENTION_BLOCK);
    }
}
