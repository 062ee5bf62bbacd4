package dev.cairn.gguf;

import java.util.EnumMap;
import java.util.Map;

/** The codec of each type cairn can convert to and from F32. */
final class Codecs {
    private static final Map<GgmlType, BlockCodec> CODECS = new EnumMap<>(GgmlType.class);

    static {
        CODECS.put(GgmlType.F32, new FloatCodec(GgmlType.F32));
        CODECS.put(GgmlType.F16, new FloatCodec(GgmlType.F16));
        CODECS.put(GgmlType.BF16, new FloatCodec(GgmlType.BF16));
        CODECS.put(GgmlType.Q8_0, new Q8_0Codec());
        CODECS.put(GgmlType.Q4_0, new Q4_0Codec());
        CODECS.put(GgmlType.Q4_1, new Q4_1Codec());
        CODECS.put(GgmlType.Q5_0, new Q5_0Codec());
        CODECS.put(GgmlType.Q5_1, new Q5_1Codec());
        CODECS.put(GgmlType.Q2_K, new Q2_KCodec());
        CODECS.put(GgmlType.Q3_K, new Q3_KCodec());
        CODECS.put(GgmlType.Q4_K, new Q4_KCodec());
        CODECS.put(GgmlType.Q5_K, new Q5_KCodec());
        CODECS.put(GgmlType.Q6_K, new Q6_KCodec());
        CODECS.put(GgmlType.Q8_K, new Q8_KCodec());
    }

    private Codecs() {}

    static boolean has(GgmlType type) {
        return CODECS.containsKey(type);
    }

    static BlockCodec of(GgmlType type) {
        BlockCodec c = CODECS.get(type);
        if (c == null) {
            throw new UnsupportedOperationException("no F32 conversion for " + type
                    + " (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K)");
        }
        return c;
    }

    static int blocks(GgmlType type, int count) {
        if (count % type.blockSize != 0) {
            throw new IllegalArgumentException(count + " values are not a whole number of " + type + " blocks of " + type.blockSize);
        }
        return count / type.blockSize;
    }
}
