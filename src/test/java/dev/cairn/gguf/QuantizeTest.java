package dev.cairn.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class QuantizeTest {
    static final Set<GgmlType> CONVERTIBLE = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
            GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
            GgmlType.Q8_K);

    @Test
    void quantizersAndDequantizersMatchLlamaCppBitForBit() throws Exception {
        List<String> lines = new ArrayList<>();
        try (InputStream in = QuantizeTest.class.getResourceAsStream("/quant/llama-cpp-reference.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    lines.add(l);
                }
            }
        }
        Set<GgmlType> covered = EnumSet.noneOf(GgmlType.class);
        List<String> mismatches = new ArrayList<>();
        java.util.Map<String, String[]> computed = new java.util.HashMap<>();
        for (String l : lines) {
            String[] p = l.split(" ");
            GgmlType type = GgmlType.valueOf(p[1]);
            int[] dims = dims(p[2]);
            String[] got = computed.get(p[1] + " " + p[2]);
            if (got == null) {
                got = QuantReference.hashes(p[2], dims[0], dims[1], type);
                computed.put(p[1] + " " + p[2], got);
            }
            if (!got[p[0].equals("quant") ? 0 : 1].equals(p[3])) {
                mismatches.add(l);
            }
            covered.add(type);
        }
        assertThat(mismatches).isEmpty();
        assertThat(lines).hasSize(216);
        // every convertible type except F32 (nothing to convert) and Q8_K (llama-quantize cannot produce it)
        assertThat(covered).containsExactlyInAnyOrderElementsOf(CONVERTIBLE.stream()
                .filter(t -> t != GgmlType.F32 && t != GgmlType.Q8_K).toList());
    }

    /** Matrix shapes {cols, rows} of QuantReference's one-layer model (dim 256, ffn 512, vocab 512). */
    private static int[] dims(String tensor) {
        if (tensor.equals("token_embd.weight") || tensor.equals("output.weight")) {
            return new int[] {256, 512};
        }
        if (tensor.endsWith("ffn_gate.weight") || tensor.endsWith("ffn_up.weight")) {
            return new int[] {256, 512};
        }
        if (tensor.endsWith("ffn_down.weight")) {
            return new int[] {512, 256};
        }
        return new int[] {256, 256};
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K",
            "Q8_K"})
    void roundTripErrorIsWithinTheTypesPrecision(GgmlType type) {
        int n = 256 * 64;
        float[] x = new float[n];
        SplittableRandom rng = new SplittableRandom(type.ordinal());
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 1.5) * (1 + (i / 256) % 5));
        }
        byte[] q = Quantize.toBytes(type, x);
        assertThat(q.length).isEqualTo(type.byteSize(n));
        float[] back = new float[n + 8];
        Dequantize.row(type, MemorySegment.ofArray(q), 0, back, 8, n);
        double err2 = 0;
        double sig2 = 0;
        double worstBlock = 0;
        int block = Math.max(type.blockSize, 32);
        for (int b = 0; b < n; b += block) {
            double amax = 0;
            double emax = 0;
            for (int i = b; i < b + block; i++) {
                double e = back[8 + i] - x[i];
                err2 += e * e;
                sig2 += (double) x[i] * x[i];
                amax = Math.max(amax, Math.abs(x[i]));
                emax = Math.max(emax, Math.abs(e));
            }
            worstBlock = Math.max(worstBlock, emax / amax);
        }
        double rel = Math.sqrt(err2 / sig2);
        double[] bound = switch (type) { // {relative RMS, worst error / block amax}
            case F32 -> new double[] {0, 0};
            case F16 -> new double[] {5e-4, 5e-4};
            case BF16 -> new double[] {4e-3, 4e-3};
            case Q8_0 -> new double[] {6e-3, 5e-3};
            case Q8_K -> new double[] {8e-3, 5e-3}; // same step as Q8_0 but over 256 values (larger block max)
            case Q2_K -> new double[] {0.32, 0.40};  // 4 levels with 4-bit scales and mins
            case Q3_K -> new double[] {0.17, 0.22};  // 8 levels
            case Q6_K -> new double[] {2e-2, 3e-2};
            // symmetric 5/4-bit types clip the far end of a block by one full step: amax/16 and amax/8
            case Q5_0, Q5_1, Q5_K -> new double[] {5e-2, 1 / 16.0 + 2e-3};
            default -> new double[] {1e-1, 1 / 8.0 + 4e-3};
        };
        assertThat(rel).as("relative RMS error of %s", type).isLessThanOrEqualTo(bound[0]);
        assertThat(worstBlock).as("worst error / block max of %s", type).isLessThanOrEqualTo(bound[1]);
        if (type != GgmlType.F32) {
            assertThat(rel).as("%s must actually lose precision", type).isGreaterThan(0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K",
            "Q8_K"})
    void zerosStayZeroAndOffsetsAreHonoured(GgmlType type) {
        int n = 512;
        byte[] q = new byte[(int) type.byteSize(n) + 7];
        java.util.Arrays.fill(q, (byte) 0x55);
        Quantize.row(type, new float[n + 3], 3, n, MemorySegment.ofArray(q), 7);
        assertThat(q[0]).isEqualTo((byte) 0x55);
        float[] back = new float[n];
        java.util.Arrays.fill(back, 9f);
        Dequantize.row(type, MemorySegment.ofArray(q), 7, back, 0, n);
        for (float v : back) {
            assertThat(v).isEqualTo(0f);
        }
    }

    @Test
    void halfPrecisionConversionsRoundToNearestEven() {
        float tieDown = 1f + 0x1p-11f;      // halfway between 1 and the next fp16: stays at even 1.0
        float tieUp = 1f + 3 * 0x1p-11f;    // halfway between 1+2^-10 (odd) and 1+2^-9 (even)
        float[] back = new float[2];
        Dequantize.row(GgmlType.F16, MemorySegment.ofArray(Quantize.toBytes(GgmlType.F16, new float[] {tieDown, tieUp})), 0, back, 0, 2);
        assertThat(back).containsExactly(1f, 1f + 0x1p-9f);
        float bTieDown = Float.intBitsToFloat(0x3F808000);
        float bTieUp = Float.intBitsToFloat(0x3F818000);
        Dequantize.row(GgmlType.BF16, MemorySegment.ofArray(Quantize.toBytes(GgmlType.BF16, new float[] {bTieDown, bTieUp})), 0, back, 0, 2);
        assertThat(back).containsExactly(Float.intBitsToFloat(0x3F800000), Float.intBitsToFloat(0x3F820000));
    }

    @Test
    void rejectsPartialBlocksAndTypesWithoutAConverter() {
        assertThatThrownBy(() -> Quantize.toBytes(GgmlType.Q4_K, new float[128])).hasMessageContaining("Q4_K");
        assertThatThrownBy(() -> Quantize.toBytes(GgmlType.IQ4_XS, new float[256])).hasMessageContaining("IQ4_XS");
        assertThat(Quantize.supports(GgmlType.Q6_K)).isTrue();
        assertThat(Dequantize.supports(GgmlType.IQ2_XS)).isFalse();
    }
}
