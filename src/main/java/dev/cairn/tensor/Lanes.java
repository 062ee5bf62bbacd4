package dev.cairn.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes of every kernel, named once. {@link #FLOATS} has the preferred width, chosen at run time, and
 * {@link #BYTES}, {@link #SHORTS} and {@link #INTS} have as many lanes as it, so that many quantized bytes widen into
 * one float vector. The fixed shapes (the name says lanes and bits) are the same on AVX2 and AVX-512.
 *
 * <p>The kernels call the Vector API directly rather than through small helper methods: C2 force-inlines the API's
 * own methods even in large methods, but stops inlining ordinary helpers past its node budget, and a vector passed to
 * a method that was not inlined is allocated (several times slower dots, depending on which types ran first).
 */
public final class Lanes {
    /** Floats at the preferred width. */
    public static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Lanes of {@link #FLOATS}. */
    public static final int FLOAT_LANES = FLOATS.length();
    /** Fused dots need at least 8 float lanes (AVX2); narrower machines use the generic dequantize-then-dot path. */
    static final boolean FUSED = FLOAT_LANES >= 8;
    /** Bytes, as many lanes as {@link #FLOATS}. */
    static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FLOAT_LANES * 8)));
    /** Shorts, as many lanes as {@link #FLOATS}. */
    static final VectorSpecies<Short> SHORTS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, FLOAT_LANES * 16)));
    /** Ints at the preferred width (as many lanes as {@link #FLOATS}). */
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** 16 bytes: one load widened in parts, or a super-block's scale bytes. */
    static final VectorSpecies<Byte> BYTES_128 = ByteVector.SPECIES_128;
    /** 8 floats, 8 ints, 2 longs: a K-quant super-block's eight scales. */
    public static final VectorSpecies<Float> FLOATS_256 = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> INTS_256 = IntVector.SPECIES_256;
    static final VectorSpecies<Long> LONGS_128 = LongVector.SPECIES_128;

    private Lanes() {}
}
