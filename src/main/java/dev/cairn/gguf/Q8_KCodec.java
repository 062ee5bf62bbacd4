package dev.cairn.gguf;

import static dev.cairn.gguf.KQuants.QK_K;
import static dev.cairn.gguf.KQuants.nearestInt;

import java.lang.foreign.MemorySegment;

/** Q8_K: 256 int8 values times an fp32 scale, plus int16 sums of each 16 (292 bytes): d, qs[256], bsums[16]. */
final class Q8_KCodec implements BlockCodec {
    @Override
    public void quantize(float[] x, int xo, int blocks, MemorySegment y, long yo) {
        for (int b = 0; b < blocks; b++, xo += QK_K, yo += 292) {
            float max = BlockRange.signedAbsMax(x, xo, QK_K);
            if (max == 0) {
                y.asSlice(yo, 292).fill((byte) 0);
                continue;
            }
            float iscale = -127.f / max;
            for (int j = 0; j < QK_K; ++j) {
                Bytes.put8(y, yo + 4 + j, Math.min(127, nearestInt(iscale * x[xo + j])));
            }
            for (int j = 0; j < 16; ++j) {
                int sum = 0;
                for (int ii = 0; ii < 16; ++ii) {
                    sum += Bytes.i8(y, yo + 4 + j * 16 + ii);
                }
                y.set(Bytes.I16, yo + 260 + 2L * j, (short) sum);
            }
            y.set(Bytes.F32, yo, 1 / iscale);
        }
    }

    @Override
    public void dequantize(MemorySegment x, long xo, float[] y, int yo, int blocks) {
        for (int b = 0; b < blocks; b++, xo += 292) {
            float d = x.get(Bytes.F32, xo);
            for (int j = 0; j < QK_K; ++j) {
                y[yo++] = d * Bytes.i8(x, xo + 4 + j);
            }
        }
    }
}
