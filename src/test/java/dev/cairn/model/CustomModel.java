package dev.cairn.model;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufWriter;
import dev.cairn.gguf.SyntheticModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test helper: F32 random-weight models with the hyper-parameters {@link SyntheticModel} does not vary: a head dim
 * other than dim/heads (Qwen3), one KV head (MQA), Llama 3 RoPE frequency factors, linear RoPE scaling. The
 * tokenizer is the synthetic models' 512-token vocabulary.
 *
 * @param ropeFreqs   written as {@code rope_freqs.weight} when not null
 * @param ropeScaling {@code rope.scaling.type} ("linear", "yarn") or null for none
 * @param ropeFactor  {@code rope.scaling.factor}
 */
record CustomModel(String arch, int dim, int heads, int kvHeads, int headDim, int ffn, float[] ropeFreqs,
                   String ropeScaling, float ropeFactor, long seed) {
    /** YaRN's original context: small, so that its corrections reach several of the test's rotary pairs. */
    static final int YARN_ORIGINAL_CONTEXT = 64;

    static final int LAYERS = 2;
    static final int CONTEXT = 256;

    Path write(Path dir, String name) {
        Path vocabFile = SyntheticModel.write(dir.resolve("vocab-" + name + ".gguf"),
                new SyntheticModel.Spec("llama", SyntheticModel.Shape.TEST, GgmlType.F32, 1));
        Path out = dir.resolve(name + ".gguf");
        try (GgufFile vocab = GgufFile.open(vocabFile); GgufWriter w = GgufWriter.create(out)) {
            int vocabSize = vocab.getStringArray("tokenizer.ggml.tokens").length;
            String a = arch;
            w.putString("general.architecture", a);
            w.putString("general.name", "cairn-custom-" + name);
            w.putUInt32("general.file_type", 0);
            w.putUInt32(a + ".context_length", CONTEXT);
            w.putUInt32(a + ".embedding_length", dim);
            w.putUInt32(a + ".block_count", LAYERS);
            w.putUInt32(a + ".feed_forward_length", ffn);
            w.putUInt32(a + ".attention.head_count", heads);
            w.putUInt32(a + ".attention.head_count_kv", kvHeads);
            w.putUInt32(a + ".attention.key_length", headDim);
            w.putUInt32(a + ".attention.value_length", headDim);
            w.putFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-6f);
            w.putFloat32(a + ".rope.freq_base", 10000f);
            w.putUInt32(a + ".rope.dimension_count", headDim);
            if (ropeScaling != null) {
                w.putString(a + ".rope.scaling.type", ropeScaling);
                w.putFloat32(a + ".rope.scaling.factor", ropeFactor);
                if (ropeScaling.equals("yarn")) {
                    w.putUInt32(a + ".rope.scaling.original_context_length", YARN_ORIGINAL_CONTEXT);
                }
            }
            w.putUInt32(a + ".vocab_size", vocabSize);
            w.copyMetadata(vocab, k -> k.startsWith("tokenizer."));

            int qDim = heads * headDim, kvDim = kvHeads * headDim;
            List<Object[]> plan = new ArrayList<>(); // name, cols, rows, init
            plan.add(new Object[]{"token_embd.weight", dim, vocabSize, "embedding"});
            if (ropeFreqs != null) {
                plan.add(new Object[]{"rope_freqs.weight", headDim / 2, 1, "freqs"});
            }
            for (int l = 0; l < LAYERS; l++) {
                String b = "blk." + l + ".";
                plan.add(new Object[]{b + "attn_norm.weight", dim, 1, "norm"});
                plan.add(new Object[]{b + "attn_q.weight", dim, qDim, "matrix"});
                plan.add(new Object[]{b + "attn_k.weight", dim, kvDim, "matrix"});
                plan.add(new Object[]{b + "attn_v.weight", dim, kvDim, "matrix"});
                if (arch.equals("qwen2")) {
                    plan.add(new Object[]{b + "attn_q.bias", qDim, 1, "bias"});
                    plan.add(new Object[]{b + "attn_k.bias", kvDim, 1, "bias"});
                    plan.add(new Object[]{b + "attn_v.bias", kvDim, 1, "bias"});
                }
                if (arch.equals("qwen3")) {
                    plan.add(new Object[]{b + "attn_q_norm.weight", headDim, 1, "norm"});
                    plan.add(new Object[]{b + "attn_k_norm.weight", headDim, 1, "norm"});
                }
                plan.add(new Object[]{b + "attn_output.weight", qDim, dim, "matrix"});
                plan.add(new Object[]{b + "ffn_norm.weight", dim, 1, "norm"});
                plan.add(new Object[]{b + "ffn_gate.weight", dim, ffn, "matrix"});
                plan.add(new Object[]{b + "ffn_up.weight", dim, ffn, "matrix"});
                plan.add(new Object[]{b + "ffn_down.weight", ffn, dim, "matrix"});
            }
            plan.add(new Object[]{"output_norm.weight", dim, 1, "norm"});
            plan.add(new Object[]{"output.weight", dim, vocabSize, "matrix"});

            for (Object[] t : plan) {
                int cols = (int) t[1], rows = (int) t[2];
                if (rows == 1) {
                    w.addTensor((String) t[0], GgmlType.F32, cols);
                } else {
                    w.addTensor((String) t[0], GgmlType.F32, cols, rows);
                }
            }
            for (Object[] t : plan) {
                int cols = (int) t[1], rows = (int) t[2];
                float[] v = "freqs".equals(t[3]) ? ropeFreqs.clone() : random((String) t[0], (String) t[3], cols, rows);
                w.writeFloats(v, 0, v.length);
            }
        }
        return out;
    }

    /** Uniform values with SyntheticModel's spreads: fan-in scaled matrices, norms around 1. */
    private float[] random(String name, String init, int cols, int rows) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + name.hashCode());
        float center = init.equals("norm") ? 1f : 0f;
        float amp = switch (init) {
            case "embedding" -> (float) Math.sqrt(3);
            case "matrix" -> (float) Math.sqrt(3.0 / cols);
            default -> 0.25f;
        };
        float[] v = new float[cols * rows];
        for (int i = 0; i < v.length; i++) {
            v[i] = center + amp * (float) (2 * r.nextDouble() - 1);
        }
        return v;
    }
}
