package dev.cairn.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Python {@code str} methods that chat templates call ({@code content.strip()}, {@code content.split('</think>')}),
 * implemented with Python's semantics (whitespace set, {@code split()} without a separator, negative indices).
 */
final class PythonStrings {
    private PythonStrings() {
    }

    static boolean isPyWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d
                || c == 0x1e || c == 0x1f || c == 0x85 || Character.isSpaceChar(c);
    }

    /** Python's {@code str.splitlines()}: split at every line boundary Python knows, which are dropped. */
    static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85
                    || c == 0x2028 || c == 0x2029) {
                out.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end && stripped(s.charAt(start), chars)) {
                start++;
            }
        }
        if (right) {
            while (end > start && stripped(s.charAt(end - 1), chars)) {
                end--;
            }
        }
        return s.substring(start, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isPyWhitespace(c) : chars.indexOf(c) >= 0;
    }

    /** {@code str.split(sep, maxsplit)}; a null separator splits on whitespace runs and drops empty parts. */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isPyWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !isPyWhitespace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new TemplateException("empty separator in split()");
        }
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** {@code str.rsplit(sep, maxsplit)} with an explicit separator. */
    static List<String> rsplit(String s, String sep, int maxSplit) {
        if (sep == null || maxSplit < 0) {
            return split(s, sep, maxSplit);
        }
        List<String> out = new ArrayList<>();
        int end = s.length();
        while (out.size() < maxSplit) {
            int at = s.lastIndexOf(sep, end - sep.length());
            if (at < 0 || end - sep.length() < 0) {
                break;
            }
            out.addFirst(s.substring(at + sep.length(), end));
            end = at;
        }
        out.addFirst(s.substring(0, end));
        return out;
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevCased = Character.isLetter(c);
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase();
    }

    /** {@code str.format(*args)} for the positional fields templates use: {@code {}}, {@code {0}}, {@code {{}}. */
    static String format(String s, Object[] args) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int close = s.indexOf('}', i);
                if (close < 0) {
                    throw new TemplateException("single '{' encountered in format string");
                }
                String field = s.substring(i + 1, close);
                int idx = field.isEmpty() ? auto++ : parseIndex(field);
                if (idx >= args.length) {
                    throw new TemplateException("format(): replacement index " + idx + " out of range");
                }
                sb.append(PythonValues.str(args[idx]));
                i = close;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int parseIndex(String field) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new TemplateException("format(): only positional fields are supported, got {" + field + "}");
        }
    }

    static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static final java.util.regex.Pattern PERCENT_SPEC =
            java.util.regex.Pattern.compile("%([-+ #0]*)(\\d+)?(?:\\.(\\d+))?([diouxXeEfFgGcrs%])");

    /** {@code format % args} with Python's printf-style conversions (s, r, d, i, f, e, g, x, o, c, %). */
    static String percentFormat(String format, List<?> args) {
        java.util.regex.Matcher m = PERCENT_SPEC.matcher(format);
        StringBuilder sb = new StringBuilder();
        int next = 0;
        int last = 0;
        while (m.find()) {
            sb.append(format, last, m.start());
            last = m.end();
            char type = m.group(4).charAt(0);
            if (type == '%') {
                sb.append('%');
                continue;
            }
            if (next >= args.size()) {
                throw new TemplateException("not enough arguments for format string");
            }
            Object arg = args.get(next++);
            String flags = m.group(1);
            String width = m.group(2) == null ? "" : m.group(2);
            String precision = m.group(3) == null ? "" : "." + m.group(3);
            String text = switch (type) {
                case 's' -> pad(PythonValues.str(arg), flags, width, precision);
                case 'r' -> pad(PythonValues.repr(arg), flags, width, precision);
                case 'c' -> pad(arg instanceof Number n ? Character.toString(n.intValue()) : PythonValues.str(arg), flags, width, "");
                case 'd', 'i', 'u' -> String.format("%" + flags + width + "d", number(arg).longValue());
                case 'x', 'X', 'o' -> String.format("%" + flags + width + type, number(arg).longValue());
                default -> String.format("%" + flags + width + (precision.isEmpty() ? ".6" : precision) + type,
                        number(arg).doubleValue());
            };
            sb.append(text);
        }
        if (next < args.size()) {
            throw new TemplateException("not all arguments converted during string formatting");
        }
        return sb.append(format.substring(last)).toString();
    }

    private static String pad(String s, String flags, String width, String precision) {
        String cut = precision.isEmpty() ? s : s.substring(0, Math.min(s.length(), Integer.parseInt(precision.substring(1))));
        if (width.isEmpty()) {
            return cut;
        }
        return String.format("%" + (flags.contains("-") ? "-" : "") + width + "s", cut);
    }

    private static Number number(Object o) {
        if (o instanceof Number n) {
            return n;
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new TemplateException("%d format: a number is required, not " + PythonValues.repr(o));
    }
}
