package dev.cairn.tensor;

import dev.cairn.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A plain transliteration of ggml's dequantize_row_* (ggml-quants.c) over a byte array, kept independent of the
 * kernels under test: no shared helpers, block fields read through a little-endian ByteBuffer.
 */
final class ReferenceDequantizer {
    private ReferenceDequantizer() {}

    static float[] dequantize(GgmlType type, byte[] bytes, int offset, int n) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] y = new float[n];
        int nb = n / type.blockSize;
        for (int i = 0; i < nb; i++) {
            int x = offset + i * type.typeSize;
            int yi = i * type.blockSize;
            switch (type) {
                case F32 -> y[yi] = b.getFloat(x);
                case F16 -> y[yi] = Float.float16ToFloat(b.getShort(x));
                case BF16 -> y[yi] = Float.intBitsToFloat((b.getShort(x) & 0xFFFF) << 16);
                case Q8_0 -> {
                    float d = h(b, x);
                    for (int j = 0; j < 32; j++) {
                        y[yi + j] = b.get(x + 2 + j) * d;
                    }
                }
                case Q4_0 -> {
                    float d = h(b, x);
                    for (int j = 0; j < 16; j++) {
                        int q = u(b, x + 2 + j);
                        y[yi + j] = ((q & 0x0F) - 8) * d;
                        y[yi + j + 16] = ((q >> 4) - 8) * d;
                    }
                }
                case Q4_1 -> {
                    float d = h(b, x);
                    float m = h(b, x + 2);
                    for (int j = 0; j < 16; j++) {
                        int q = u(b, x + 4 + j);
                        y[yi + j] = (q & 0x0F) * d + m;
                        y[yi + j + 16] = (q >> 4) * d + m;
                    }
                }
                case Q5_0 -> {
                    float d = h(b, x);
                    int qh = b.getInt(x + 2);
                    for (int j = 0; j < 16; j++) {
                        int xh0 = ((qh >>> j) << 4) & 0x10;
                        int xh1 = (qh >>> (j + 12)) & 0x10;
                        int q = u(b, x + 6 + j);
                        y[yi + j] = (((q & 0x0F) | xh0) - 16) * d;
                        y[yi + j + 16] = (((q >> 4) | xh1) - 16) * d;
                    }
                }
                case Q5_1 -> {
                    float d = h(b, x);
                    float m = h(b, x + 2);
                    int qh = b.getInt(x + 4);
                    for (int j = 0; j < 16; j++) {
                        int xh0 = ((qh >>> j) << 4) & 0x10;
                        int xh1 = (qh >>> (j + 12)) & 0x10;
                        int q = u(b, x + 8 + j);
                        y[yi + j] = ((q & 0x0F) | xh0) * d + m;
                        y[yi + j + 16] = ((q >> 4) | xh1) * d + m;
                    }
                }
                case Q2_K -> q2k(b, x, y, yi);
                case Q3_K -> q3k(b, x, y, yi);
                case Q4_K -> q45k(b, x, y, yi, false);
                case Q5_K -> q45k(b, x, y, yi, true);
                case Q6_K -> q6k(b, x, y, yi);
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return y;
    }

    private static void q2k(ByteBuffer b, int x, float[] y, int yi) {
        float d = h(b, x + 80);
        float min = h(b, x + 82);
        int q = x + 16;
        int is = 0;
        for (int n = 0; n < 256; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; ++j) {
                int sc = u(b, x + is++);
                float dl = d * (sc & 0xF), ml = min * (sc >> 4);
                for (int l = 0; l < 16; ++l) y[yi++] = dl * ((u(b, q + l) >> shift) & 3) - ml;
                sc = u(b, x + is++);
                dl = d * (sc & 0xF);
                ml = min * (sc >> 4);
                for (int l = 0; l < 16; ++l) y[yi++] = dl * ((u(b, q + l + 16) >> shift) & 3) - ml;
                shift += 2;
            }
            q += 32;
        }
    }

    private static void q3k(ByteBuffer b, int x, float[] y, int yi) {
        float dAll = h(b, x + 108);
        int kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f;
        int[] aux = {b.getInt(x + 96), b.getInt(x + 100), b.getInt(x + 104), 0};
        int tmp = aux[2];
        aux[2] = ((aux[0] >>> 4) & kmask2) | (((tmp >>> 4) & kmask1) << 4);
        aux[3] = ((aux[1] >>> 4) & kmask2) | (((tmp >>> 6) & kmask1) << 4);
        aux[0] = (aux[0] & kmask2) | (((tmp) & kmask1) << 4);
        aux[1] = (aux[1] & kmask2) | (((tmp >>> 2) & kmask1) << 4);
        byte[] scales = new byte[16];
        ByteBuffer.wrap(scales).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(aux);
        int q = x + 32;
        int hm = x;
        int m = 1;
        int is = 0;
        for (int n = 0; n < 256; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; ++j) {
                float dl = dAll * (scales[is++] - 32);
                for (int l = 0; l < 16; ++l) {
                    y[yi++] = dl * (((u(b, q + l) >> shift) & 3) - ((u(b, hm + l) & m) != 0 ? 0 : 4));
                }
                dl = dAll * (scales[is++] - 32);
                for (int l = 0; l < 16; ++l) {
                    y[yi++] = dl * (((u(b, q + l + 16) >> shift) & 3) - ((u(b, hm + l + 16) & m) != 0 ? 0 : 4));
                }
                shift += 2;
                m <<= 1;
            }
            q += 32;
        }
    }

    private static void q45k(ByteBuffer b, int x, float[] y, int yi, boolean five) {
        float d = h(b, x);
        float min = h(b, x + 2);
        int scales = x + 4;
        int qh = x + 16;
        int ql = five ? x + 48 : x + 16;
        int is = 0;
        int u1 = 1, u2 = 2;
        for (int j = 0; j < 256; j += 64) {
            int[] sm = scaleMinK4(b, is, scales);
            float d1 = d * sm[0], m1 = min * sm[1];
            sm = scaleMinK4(b, is + 1, scales);
            float d2 = d * sm[0], m2 = min * sm[1];
            for (int l = 0; l < 32; ++l) {
                int hb = five && (u(b, qh + l) & u1) != 0 ? 16 : 0;
                y[yi++] = d1 * ((u(b, ql + l) & 0xF) + hb) - m1;
            }
            for (int l = 0; l < 32; ++l) {
                int hb = five && (u(b, qh + l) & u2) != 0 ? 16 : 0;
                y[yi++] = d2 * ((u(b, ql + l) >> 4) + hb) - m2;
            }
            ql += 32;
            is += 2;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    private static int[] scaleMinK4(ByteBuffer b, int j, int q) {
        if (j < 4) {
            return new int[] {u(b, q + j) & 63, u(b, q + j + 4) & 63};
        }
        return new int[] {(u(b, q + j + 4) & 0xF) | ((u(b, q + j - 4) >> 6) << 4),
                (u(b, q + j + 4) >> 4) | ((u(b, q + j) >> 6) << 4)};
    }

    private static void q6k(ByteBuffer b, int x, float[] y, int yi) {
        float d = h(b, x + 208);
        int ql = x, qh = x + 128, sc = x + 192;
        for (int n = 0; n < 256; n += 128) {
            for (int l = 0; l < 32; ++l) {
                int is = l / 16;
                int q1 = ((u(b, ql + l) & 0xF) | (((u(b, qh + l) >> 0) & 3) << 4)) - 32;
                int q2 = ((u(b, ql + l + 32) & 0xF) | (((u(b, qh + l) >> 2) & 3) << 4)) - 32;
                int q3 = ((u(b, ql + l) >> 4) | (((u(b, qh + l) >> 4) & 3) << 4)) - 32;
                int q4 = ((u(b, ql + l + 32) >> 4) | (((u(b, qh + l) >> 6) & 3) << 4)) - 32;
                y[yi + l] = d * b.get(sc + is) * q1;
                y[yi + l + 32] = d * b.get(sc + is + 2) * q2;
                y[yi + l + 64] = d * b.get(sc + is + 4) * q3;
                y[yi + l + 96] = d * b.get(sc + is + 6) * q4;
            }
            yi += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }

    private static float h(ByteBuffer b, int at) {
        return Float.float16ToFloat(b.getShort(at));
    }

    private static int u(ByteBuffer b, int at) {
        return b.get(at) & 0xFF;
    }
}
