package dev.cairn.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector shapes of the fused decode dots, chosen at run time: {@code L} float lanes of the preferred width, and
 * byte/short/int species with the same lane count, so L quantized bytes widen into one float vector.
 */
final class Lanes {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Fused dots need at least 8 float lanes (AVX2); narrower machines use the generic dequantize-then-dot path. */
    static final boolean FUSED = L >= 8;
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16)));
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Lanes() {}

    static ByteVector bytes(MemorySegment w, long at) {
        return ByteVector.fromMemorySegment(B, w, at, LE);
    }

    /** L signed bytes as floats. */
    static FloatVector floats(ByteVector v) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, 0);
    }

    static FloatVector all(float v) {
        return FloatVector.broadcast(F, v);
    }

    static FloatVector x(float[] x, int at) {
        return FloatVector.fromArray(F, x, at);
    }

    /** L fp16 values as floats: bits moved into fp32 position and rescaled (exact for normals and subnormals). */
    static FloatVector halfs(MemorySegment w, long at) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, at, LE).convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
        FloatVector f = magnitude.reinterpretAsFloats().mul(0x1p112f);
        // Infinity and NaN keep an all-ones exponent rather than being rescaled.
        f = f.blend(magnitude.or(0x7F800000).reinterpretAsFloats(), magnitude.compare(VectorOperators.GE, 0x0F800000).cast(F));
        return f.reinterpretAsInts().or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** L bf16 values as floats. */
    static FloatVector bfloats(MemorySegment w, long at) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, w, at, LE).convertShape(VectorOperators.S2I, I, 0);
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
