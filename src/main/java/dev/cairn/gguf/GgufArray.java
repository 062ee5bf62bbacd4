package dev.cairn.gguf;

import java.lang.reflect.Array;

/**
 * A metadata array. {@code values} is a primitive array for numeric types (int[] for 8/16/32-bit integers,
 * long[] for 64-bit, float[], double[], boolean[]), String[] for strings and GgufArray[] for nested arrays.
 */
public record GgufArray(GgufValueType elementType, Object values) {
    public int length() {
        return Array.getLength(values);
    }

    @Override
    public String toString() {
        int n = length();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, 8); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = Array.get(values, i);
            sb.append(v instanceof String s ? '"' + s + '"' : String.valueOf(v));
        }
        if (n > 8) {
            sb.append(", ... (").append(n).append(" values)");
        }
        return sb.append(']').toString();
    }
}
