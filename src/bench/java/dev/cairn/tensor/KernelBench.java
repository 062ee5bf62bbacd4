package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import jdk.incubator.vector.FloatVector;

/**
 * Kernel benchmark (not a test): prefill GEMM GFLOP/s and decode matvec GB/s per weight type, best and worst of
 * several timed runs after warm-up (the machine is shared, so single runs are noisy). Options: {@code --types
 * Q8_0,Q4_K,...}, {@code --rows 5632}, {@code --cols 2048}, {@code --tokens 512}, {@code --threads 2}, {@code --runs 5},
 * {@code --gemm-only}, {@code --matvec-only}. How to run it: docs/performance.md.
 */
public final class KernelBench {
    /** Matvec weights cycle through matrices totalling this much, so they come from memory, not the L3 cache. */
    private static final long MATVEC_BYTES = 128L << 20;

    public static void main(String[] args) {
        List<GgmlType> types = new ArrayList<>(GgmlType.weightTypes());
        int rows = 5632, cols = 2048, tokens = 512, runs = 5;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean gemmOnly = false, matvecOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--types" -> {
                    types.clear();
                    for (String t : args[++i].split(",")) {
                        types.add(GgmlType.valueOf(t.trim().toUpperCase(Locale.ROOT)));
                    }
                }
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--cols" -> cols = Integer.parseInt(args[++i]);
                case "--tokens" -> tokens = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--gemm-only" -> gemmOnly = true;
                case "--matvec-only" -> matvecOnly = true;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.out.printf(Locale.ROOT, "vector %d-bit, micro-kernel %s (%d rows x %d tokens), %d threads%n",
                FloatVector.SPECIES_PREFERRED.vectorBitSize(), PanelGemm.PREFERRED.kernel().getClass().getSimpleName(),
                PanelGemm.PREFERRED.kernel().rows(), PanelGemm.PREFERRED.kernel().tokens(), threads);
        System.out.printf(Locale.ROOT, "%-5s  GEMM %dx%d x %d tokens GFLOP/s: best / worst (per CPU-second)    matvec GB/s: best / worst (per CPU-second)%n",
                "type", rows, cols, tokens);
        Random rnd = new Random(42);
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (GgmlType type : types) {
                String gemm = matvecOnly ? "-" : gemm(type, rows, cols, tokens, runs, pool, rnd);
                String matvec = gemmOnly ? "-" : matvec(type, rows, cols, runs, pool, rnd);
                System.out.printf(Locale.ROOT, "%-5s  %-52s  %s%n", type, gemm, matvec);
            }
        }
    }

    private static String gemm(GgmlType type, int rows, int cols, int n, int runs, ThreadPool pool, Random rnd) {
        WeightMatrix m = matrix(type, rows, cols, rnd);
        float[] x = RandomWeights.floats(n * cols, rnd);
        float[] out = new float[n * rows];
        for (int i = 0; i < 3; i++) {
            m.matmul(x, n, out, pool); // warm-up: JIT compilation
        }
        double flops = 2.0 * rows * cols * n;
        double[] t = time(runs, () -> m.matmul(x, n, out, pool));
        return String.format(Locale.ROOT, "%7.1f / %7.1f  (%6.1f per core)", flops / t[0] / 1e9, flops / t[1] / 1e9,
                flops / t[2] / 1e9);
    }

    private static String matvec(GgmlType type, int rows, int cols, int runs, ThreadPool pool, Random rnd) {
        long bytes = type.byteSize((long) rows * cols);
        int count = (int) Math.max(1, (MATVEC_BYTES + bytes - 1) / bytes);
        WeightMatrix[] ms = new WeightMatrix[count];
        for (int i = 0; i < count; i++) {
            ms[i] = matrix(type, rows, cols, rnd);
        }
        float[] x = RandomWeights.floats(cols, rnd);
        float[] out = new float[rows];
        Runnable all = () -> {
            for (WeightMatrix m : ms) {
                m.matvec(x, out, pool);
            }
        };
        // Warm-up long enough for C2 to finish the dots (the JIT threads share the busy cores).
        for (long end = System.nanoTime() + 3_000_000_000L; System.nanoTime() < end; ) {
            all.run();
        }
        double[] t = time(runs * 2, all);
        double total = (double) bytes * count;
        return String.format(Locale.ROOT, "%6.1f / %6.1f  (%5.1f per core)", total / t[0] / 1e9, total / t[1] / 1e9,
                total / t[2] / 1e9);
    }

    private static WeightMatrix matrix(GgmlType type, int rows, int cols, Random rnd) {
        // Off-heap, like the memory-mapped weights of a real model.
        byte[] bytes = RandomWeights.rows(type, rows, cols, rnd);
        MemorySegment data = Arena.ofAuto().allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
        return WeightMatrices.of(type, data, rows, cols);
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /**
     * Best and worst wall time, and the mean process CPU time of a run, in seconds. On a shared machine the CPU time
     * shows what the kernel does per core-second even when the cores are not ours alone.
     */
    private static double[] time(int runs, Runnable r) {
        double best = Double.MAX_VALUE, worst = 0;
        long c0 = OS.getProcessCpuTime();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, s);
            worst = Math.max(worst, s);
        }
        return new double[] {best, worst, (OS.getProcessCpuTime() - c0) / 1e9 / runs};
    }
}
