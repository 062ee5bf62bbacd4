package dev.cairn.chat;

import java.util.Map;

/**
 * Python's {@code json.dumps(x, ensure_ascii=False, indent=...)}, byte for byte: what transformers' {@code tojson}
 * produces inside chat templates. Written out rather than configured on Jackson because the exact separators and
 * escapes ({@code \u001b} in lower case, nothing HTML-escaped) are what the model was trained on.
 */
final class PythonJson {
    private PythonJson() {
    }

    /** @param indent null for one line with {@code ", "} and {@code ": "}; otherwise spaces per level */
    static String dumps(Object value, Integer indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, Integer indent, int level) {
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
            for (Map.Entry<?, ?> e : m.entrySet()) {
                separator(sb, first, indent, level + 1);
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent, level + 1);
            }
            close(sb, indent, level);
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            if (!it.iterator().hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                separator(sb, first, indent, level + 1);
                first = false;
                write(sb, o, indent, level + 1);
            }
            close(sb, indent, level);
            sb.append(']');
        } else if (v instanceof Object[] arr) {
            write(sb, java.util.Arrays.asList(arr), indent, level);
        } else {
            string(sb, v.toString());
        }
    }

    private static void separator(StringBuilder sb, boolean first, Integer indent, int level) {
        if (indent == null) {
            if (!first) {
                sb.append(", ");
            }
        } else {
            if (!first) {
                sb.append(',');
            }
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static void close(StringBuilder sb, Integer indent, int level) {
        if (indent != null) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    private static String pyFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }

    private static void string(StringBuilder sb, String s) {
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
                    if (c < 0x20) {
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
