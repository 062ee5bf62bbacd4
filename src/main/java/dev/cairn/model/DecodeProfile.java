package dev.cairn.model;

import dev.cairn.gguf.GgufFile;
import dev.cairn.tensor.MatvecGroup;
import dev.cairn.tensor.WeightMatrix;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decode profile (not a test): a real model's decode step timed whole and split by matrix. The split multiplies each
 * matrix by a vector in the order a step does, so the step's time minus the matvecs' is everything else
 * (attention, norms, joins). Kernel changes are judged here as well as in KernelBench: KernelBench's isolated matvec
 * has missed gains that showed here (the 256-bit Q8_0 and the Q4_0 dots, 2026-11-28).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes dev.cairn.model.DecodeProfile MODEL.gguf \
 *     [--depth 512] [--threads 2] [--rounds 6] [--steps 20]
 * </pre>
 */
public final class DecodeProfile {
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: DecodeProfile MODEL.gguf [--depth N] [--threads T] [--rounds R] [--steps S]");
            System.exit(2);
        }
        int depth = 512, threads = Runtime.getRuntime().availableProcessors(), rounds = 6, steps = 20;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--depth" -> depth = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        try (GgufFile file = GgufFile.open(Path.of(args[0]));
             TransformerModel m = ModelLoader.load(file, new LoadOptions(depth + steps + 1, threads, KvType.F16))) {
            profile(m, depth, rounds, steps);
        }
    }

    private static void profile(TransformerModel m, int depth, int rounds, int steps) {
        ModelConfig c = m.config();
        ArrayKvCache kv = (ArrayKvCache) m.newCache();
        int[] tokens = new int[depth + steps];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + (int) ((i * 2654435761L) % (c.vocabSize() - 1));
        }
        for (int from = 0; from < depth; from += 512) {
            m.forward(kv, tokens, from, Math.min(512, depth - from), false);
        }
        float[] x = new float[Math.max(c.dim(), c.ffnDim())];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        int qDim = c.heads() * c.headDim(), kvDim = c.kvHeads() * c.headDim();
        float[][] qkvOut = {new float[qDim], new float[kvDim], new float[kvDim]};
        float[][] gateUpOut = {new float[c.ffnDim()], new float[c.ffnDim()]};
        float[] dimOut = new float[c.dim()];
        float[] logits = new float[c.vocabSize()];
        System.out.printf(Locale.ROOT, "decode at depth %d, %d threads; ms per token%n", depth, m.pool().threads());
        for (int round = -1; round < rounds; round++) { // round -1 warms the JIT up and is not printed
            kv.setLength(depth);
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                m.forward(kv, tokens, depth + s, 1, true);
            }
            double step = (System.nanoTime() - t0) / 1e6 / steps;
            long[] t = new long[5];
            for (int s = 0; s < steps; s++) {
                for (int l = 0; l < m.layerCount(); l++) {
                    LayerWeights w = m.layerWeights(l);
                    long a = System.nanoTime();
                    m.qkvGroup(l).matvec(x, qkvOut, m.pool());
                    long b = System.nanoTime();
                    w.wo().matvec(x, dimOut, m.pool());
                    long d = System.nanoTime();
                    m.gateUpGroup(l).matvec(x, gateUpOut, m.pool());
                    long e = System.nanoTime();
                    w.down().matvec(x, dimOut, m.pool());
                    long f = System.nanoTime();
                    t[0] += b - a;
                    t[1] += d - b;
                    t[2] += e - d;
                    t[3] += f - e;
                }
                long a = System.nanoTime();
                m.outputMatrix().matvec(x, logits, m.pool());
                t[4] += System.nanoTime() - a;
            }
            double qkv = t[0] / 1e6 / steps, wo = t[1] / 1e6 / steps, gateUp = t[2] / 1e6 / steps;
            double down = t[3] / 1e6 / steps, out = t[4] / 1e6 / steps;
            double matvecs = qkv + wo + gateUp + down + out;
            if (round < 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "step %.2f = matvecs %.2f (qkv %.2f, wo %.2f, gate+up %.2f, down %.2f, "
                    + "output %.2f) + rest %.2f%n", step, matvecs, qkv, wo, gateUp, down, out, step - matvecs);
        }
    }

    private DecodeProfile() {}
}
