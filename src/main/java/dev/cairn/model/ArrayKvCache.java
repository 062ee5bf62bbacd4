package dev.cairn.model;

/**
 * KV cache on the Java heap, one array per layer for keys and one for values, in F16 (as raw half-float bits) or F32.
 * Keys are kept transposed per KV head ({@code [kvHead][dim][position]}) so attention scores for many positions are
 * one broadcast-FMA per dimension with no horizontal sums; values are {@code [kvHead][position][dim]} so the weighted
 * sum runs along the head dimension.
 */
final class ArrayKvCache implements KvCache {
    private final ModelConfig config;
    private final KvType type;
    private final int capacity;
    private final short[][] keysF16, valuesF16;
    private final float[][] keysF32, valuesF32;
    private int length;

    ArrayKvCache(ModelConfig config, KvType type, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV cache size must be positive, got " + capacity);
        }
        long perLayer = (long) capacity * config.kvHeads() * config.headDim();
        if (perLayer > Integer.MAX_VALUE - 16) {
            throw new ModelLoadException("a context of " + capacity + " positions is too large for this model's KV cache; lower --ctx-size");
        }
        this.config = config;
        this.type = type;
        this.capacity = capacity;
        int layers = config.layers();
        if (type == KvType.F16) {
            keysF16 = new short[layers][(int) perLayer];
            valuesF16 = new short[layers][(int) perLayer];
            keysF32 = valuesF32 = null;
        } else {
            keysF32 = new float[layers][(int) perLayer];
            valuesF32 = new float[layers][(int) perLayer];
            keysF16 = valuesF16 = null;
        }
    }

    static long bytesFor(ModelConfig config, KvType type, int capacity) {
        return 2L * config.layers() * capacity * config.kvHeads() * config.headDim() * type.bytes;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a KV cache of " + length + " positions to " + newLength);
        }
        length = newLength;
    }

    @Override
    public long bytes() {
        return bytesFor(config, type, capacity);
    }

    KvType type() {
        return type;
    }

    boolean belongsTo(ModelConfig c) {
        return config == c;
    }

    void setLength(int newLength) {
        length = newLength;
    }

    /** Stores rows {@code [0, n)} of {@code k} and {@code v} (each {@code [n][kvHeads*headDim]}) at positions {@code pos0..}. */
    void store(int layer, int pos0, int n, float[] k, float[] v) {
        int hd = config.headDim();
        int kvDim = config.kvHeads() * hd;
        for (int t = 0; t < n; t++) {
            int pos = pos0 + t;
            for (int h = 0; h < config.kvHeads(); h++) {
                int src = t * kvDim + h * hd;
                int kBase = h * hd * capacity + pos;
                int vBase = (h * capacity + pos) * hd;
                if (type == KvType.F16) {
                    short[] kc = keysF16[layer], vc = valuesF16[layer];
                    for (int d = 0; d < hd; d++) {
                        kc[kBase + d * capacity] = Float.floatToFloat16(k[src + d]);
                        vc[vBase + d] = Float.floatToFloat16(v[src + d]);
                    }
                } else {
                    float[] kc = keysF32[layer];
                    for (int d = 0; d < hd; d++) {
                        kc[kBase + d * capacity] = k[src + d];
                    }
                    System.arraycopy(v, src, valuesF32[layer], vBase, hd);
                }
            }
        }
    }

    /**
     * Points {@code view} at the keys and values of positions {@code [0, end)} of one KV head as floats: the cache's own
     * arrays for F32, or the view's scratch filled by converting the half floats for F16.
     */
    void view(int layer, int kvHead, int end, HeadView view) {
        int hd = config.headDim();
        if (type == KvType.F32) {
            view.keys = keysF32[layer];
            view.keysOffset = kvHead * hd * capacity;
            view.keysStride = capacity;
            view.values = valuesF32[layer];
            view.valuesOffset = kvHead * capacity * hd;
            return;
        }
        view.ensure(end, hd);
        short[] kc = keysF16[layer], vc = valuesF16[layer];
        float[] ks = view.keyScratch, vs = view.valueScratch;
        for (int d = 0; d < hd; d++) {
            int src = kvHead * hd * capacity + d * capacity;
            int dst = d * end;
            for (int p = 0; p < end; p++) {
                ks[dst + p] = Float.float16ToFloat(kc[src + p]);
            }
        }
        int vSrc = kvHead * capacity * hd;
        int vCount = end * hd;
        for (int i = 0; i < vCount; i++) {
            vs[i] = Float.float16ToFloat(vc[vSrc + i]);
        }
        view.keys = ks;
        view.keysOffset = 0;
        view.keysStride = end;
        view.values = vs;
        view.valuesOffset = 0;
    }

    /** Where one KV head's keys ({@code [dim][position]}, row stride {@code keysStride}) and values ({@code [position][dim]}) are. */
    static final class HeadView {
        float[] keys, values;
        int keysOffset, keysStride, valuesOffset;
        float[] keyScratch = new float[0], valueScratch = new float[0];

        void ensure(int positions, int headDim) {
            int need = positions * headDim;
            if (keyScratch.length < need) {
                int size = Math.max(need, keyScratch.length * 2);
                keyScratch = new float[size];
                valueScratch = new float[size];
            }
        }
    }
}
