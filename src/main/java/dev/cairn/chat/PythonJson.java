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

    private static String pyFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return Double.toString(d);
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
