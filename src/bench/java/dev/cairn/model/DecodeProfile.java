package dev.cairn.model;

import dev.cairn.gguf.GgufFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decode profile (a benchmark, not a test): a real model's decode step timed whole and split by matrix. The split
 * multiplies each matrix by a vector in the order a step does ({@link TransformerModel#decodeProducts()}), so the
 * step's time minus the matvecs' is everything else (attention, norms, joins). Kernel changes are judged here as well
 * as in KernelBench, whose isolated matvec has missed gains that showed here. How to run it: docs/performance.md.
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
        KvCache kv = m.newCache();
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
        List<TransformerModel.DecodeProduct> products = m.decodeProducts();
        float[][][] outs = new float[products.size()][][];
        for (int p = 0; p < outs.length; p++) {
            var g = products.get(p).group();
            outs[p] = new float[g.size()][];
            for (int i = 0; i < g.size(); i++) {
                outs[p][i] = new float[g.rows(i)];
            }
        }
        System.out.printf(Locale.ROOT, "decode at depth %d, %d threads; ms per token%n", depth, m.pool().threads());
        for (int round = -1; round < rounds; round++) { // round -1 warms the JIT up and is not printed
            kv.truncate(depth);
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                m.forward(kv, tokens, depth + s, 1, true);
            }
            double step = (System.nanoTime() - t0) / 1e6 / steps;
            Map<String, Long> nanos = new LinkedHashMap<>();
            for (int s = 0; s < steps; s++) {
                for (int p = 0; p < outs.length; p++) {
                    TransformerModel.DecodeProduct product = products.get(p);
                    long a = System.nanoTime();
                    product.group().matvec(x, outs[p], m.pool());
                    nanos.merge(product.name(), System.nanoTime() - a, Long::sum);
                }
            }
            if (round < 0) {
                continue;
            }
            double matvecs = 0;
            StringBuilder parts = new StringBuilder();
            for (Map.Entry<String, Long> e : nanos.entrySet()) {
                double ms = e.getValue() / 1e6 / steps;
                matvecs += ms;
                parts.append(parts.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), ms));
            }
            System.out.printf(Locale.ROOT, "step %.2f = matvecs %.2f (%s) + rest %.2f%n", step, matvecs, parts,
                    step - matvecs);
        }
    }

    private DecodeProfile() {}
}
