package dev.cairn.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector shapes of the fused decode dots, chosen at run time: {@code L} float lanes of the preferred width, and
 * byte/short/int species with the same lane count, so L quantized bytes widen into one float vector.
 *
 * <p>The kernels call the Vector API directly rather than through small helper methods: C2 force-inlines the API's
 * own methods even in large methods, but stops inlining ordinary helpers past its node budget, and a vector passed to
 * a method that was not inlined is allocated (several times slower dots, depending on which types ran first).
 */
final class Lanes {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Fused dots need at least 8 float lanes (AVX2); narrower machines use the generic dequantize-then-dot path. */
    static final boolean FUSED = L >= 8;
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16)));
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /**
     * Fixed shapes, the same on AVX2 and AVX-512: 16 bytes (one load widened in parts, or a super-block's scale
     * bytes), and 8 floats, 8 ints or 2 longs for a super-block's eight scales.
     */
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
    static final VectorSpecies<Long> L2 = LongVector.SPECIES_128;

    private Lanes() {}
}
