package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Valid random tensor bytes of any weight type (random quants, fp16 scales in a sane range), for tests and benchmarks. */
final class RandomWeights {
    private RandomWeights() {}

    static byte[] rows(GgmlType type, int rows, int cols, Random rnd) {
        int blocks = rows * (cols / type.blockSize);
        byte[] bytes = new byte[blocks * type.typeSize];
        rnd.nextBytes(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < blocks; i++) {
            int x = i * type.typeSize;
            switch (type) {
                case F32 -> b.putFloat(x, (float) rnd.nextGaussian());
                case F16 -> b.putShort(x, Float.floatToFloat16((float) rnd.nextGaussian()));
                case BF16 -> b.putShort(x, (short) (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
                case Q8_0, Q4_0, Q5_0 -> half(b, x, scale(rnd));
                case Q4_1, Q5_1, Q4_K, Q5_K -> {
                    half(b, x, scale(rnd));
                    half(b, x + 2, scale(rnd));
                }
                case Q2_K -> {
                    half(b, x + 80, scale(rnd));
                    half(b, x + 82, scale(rnd));
                }
                case Q3_K -> half(b, x + 108, scale(rnd));
                case Q6_K -> half(b, x + 208, scale(rnd));
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return bytes;
    }

    /** A block scale of either sign, magnitudes from 1e-3 to 0.1 (where real models' scales lie). */
    private static float scale(Random rnd) {
        float s = (float) Math.exp(Math.log(1e-3) + rnd.nextDouble() * Math.log(100));
        return rnd.nextBoolean() ? s : -s;
    }

    private static void half(ByteBuffer b, int at, float v) {
        b.putShort(at, Float.floatToFloat16(v));
    }

    static float[] floats(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
