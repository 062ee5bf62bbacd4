package dev.cairn.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, byte for byte: what transformers' {@code tojson} produces inside chat templates.
 * Written out rather than configured on Jackson because the exact separators and escapes (backslash-u001b in lower
 * case, nothing HTML-escaped) are what the model was trained on.
 *
 * @param indent     null for one line; otherwise spaces per level
 * @param itemSep    between items: {@code ", "} by default on one line, {@code ","} with an indent
 * @param keySep     between a key and its value, {@code ": "} by default
 * @param ensureAscii escape non-ASCII characters as backslash-u escapes, as Python does
 * @param sortKeys   write dict keys in sorted order
 */
record PythonJson(Integer indent, String itemSep, String keySep, boolean ensureAscii, boolean sortKeys) {
    String dumps(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private void write(StringBuilder sb, Object v, int level) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : pyFloat(d));
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof CharSequence || v instanceof Character) {
            string(sb, v.toString());
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            if (sortKeys) {
                entries.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
            }
            for (Map.Entry<?, ?> e : entries) {
                separator(sb, first, level + 1);
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(keySep);
                write(sb, e.getValue(), level + 1);
            }
            close(sb, level);
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            if (!it.iterator().hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                separator(sb, first, level + 1);
                first = false;
                write(sb, o, level + 1);
            }
            close(sb, level);
            sb.append(']');
        } else if (v instanceof Object[] arr) {
            write(sb, java.util.Arrays.asList(arr), level);
        } else {
            string(sb, v.toString());
        }
    }

    private void separator(StringBuilder sb, boolean first, int level) {
        if (!first) {
            sb.append(itemSep);
        }
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    private void close(StringBuilder sb, int level) {
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    /**
     * Python's {@code repr(float)}: the shortest digits, positional from 1e-4 up to 1e16, else like 1.5e-05.
     * (Known difference: the smallest subnormal, which Java writes with two digits, 4.9e-324, Python as 5e-324.)
     */
    static String pyFloat(double d) {
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that read back to d (JDK 19+), as Python's repr does.
        java.math.BigDecimal exact = new java.math.BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    private void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
