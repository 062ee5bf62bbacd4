package dev.cairn.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Python's view of template values: {@code str()}, slicing with a step, integer arguments. */
final class PythonValues {
    private PythonValues() {
    }

    /** Python's {@code str(x)}: None, True and False spelled as Python does, containers in repr form. */
    static String str(Object o) {
        if (o instanceof CharSequence || o instanceof Character) {
            return o.toString();
        }
        return repr(o);
    }

    /** Python's {@code repr(x)} for the values templates hold. */
    static String repr(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (o instanceof CharSequence || o instanceof Character) {
            return reprString(o.toString());
        }
        if (o instanceof Map.Entry<?, ?> e) {
            // dict items and dictsort pairs are tuples in Python
            return "(" + repr(e.getKey()) + ", " + repr(e.getValue()) + ")";
        }
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (o instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            for (Object x : c) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(repr(x));
            }
            return sb.append(']').toString();
        }
        return o.toString();
    }

    private static String reprString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == quote) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(quote).toString();
    }

    static int toInt(Object o, String what) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        throw new TemplateException(what + " must be an integer, got " + (o == null ? "None" : "'" + o + "'"));
    }

    /** {@code seq[start:stop:step]} for a string or a list; null bounds mean "omitted". */
    static Object slice(Object seq, Object startArg, Object stopArg, Object stepArg) {
        int step = stepArg == null ? 1 : toInt(stepArg, "slice step");
        if (step == 0) {
            throw new TemplateException("slice step cannot be zero");
        }
        int len;
        if (seq instanceof String s) {
            len = s.length();
        } else if (seq instanceof List<?> l) {
            len = l.size();
        } else if (seq instanceof Collection<?> c) {
            return slice(new ArrayList<>(c), startArg, stopArg, stepArg);
        } else {
            throw new TemplateException("cannot slice " + (seq == null ? "None" : seq.getClass().getSimpleName()));
        }
        int start = bound(startArg, len, step, true);
        int stop = bound(stopArg, len, step, false);
        if (seq instanceof String s) {
            StringBuilder sb = new StringBuilder();
            for (int i = start; step > 0 ? i < stop : i > stop; i += step) {
                sb.append(s.charAt(i));
            }
            return sb.toString();
        }
        List<?> l = (List<?>) seq;
        List<Object> out = new ArrayList<>();
        for (int i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(l.get(i));
        }
        return out;
    }

    // CPython's PySlice_AdjustIndices.
    private static int bound(Object arg, int len, int step, boolean isStart) {
        if (arg == null) {
            if (step > 0) {
                return isStart ? 0 : len;
            }
            return isStart ? len - 1 : -1;
        }
        int v = toInt(arg, "slice index");
        if (v < 0) {
            v += len;
            if (v < 0) {
                v = step < 0 ? -1 : 0;
            }
        } else if (v >= len) {
            v = step < 0 ? len - 1 : len;
        }
        return v;
    }

    static boolean isMapping(Object o) {
        return o instanceof Map<?, ?>;
    }
}
