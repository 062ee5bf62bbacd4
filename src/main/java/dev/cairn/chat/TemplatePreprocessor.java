package dev.cairn.chat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the Python syntax Jinjava's expression parser lacks before the template is parsed: slices with a step or
 * with negative bounds ({@code messages[::-1]}, {@code content[:-1]}) become a call of
 * {@link PythonMethodResolver#SLICE_METHOD}, which implements Python's slice semantics. Only the insides of
 * {@code {{ }}} and {@code {% %}} are touched; text between them is left byte for byte.
 */
final class TemplatePreprocessor {
    // A subscript (after a name, ')' or ']') holding one or two ':' and no brackets, braces or quotes.
    private static final Pattern SLICE = Pattern.compile(
            "(?<=[\\w)\\]])\\s*\\[([^\\[\\]{}:'\"]*):([^\\[\\]{}:'\"]*)(?::([^\\[\\]{}:'\"]*))?\\]");

    private TemplatePreprocessor() {
    }

    static String process(String template) {
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            int open = nextOpen(template, i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            String close = template.charAt(open + 1) == '{' ? "}}" : "%}";
            int end = template.indexOf(close, open + 2);
            if (end < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open + 2);
            out.append(rewriteSlices(template.substring(open + 2, end)));
            i = end;
        }
        return out.toString();
    }

    private static int nextOpen(String s, int from) {
        int a = s.indexOf("{{", from);
        int b = s.indexOf("{%", from);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    static String rewriteSlices(String expr) {
        Matcher m = SLICE.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String call = "." + PythonMethodResolver.SLICE_METHOD + "(" + orNone(m.group(1)) + ", " + orNone(m.group(2))
                    + ", " + orNone(m.group(3)) + ")";
            m.appendReplacement(sb, Matcher.quoteReplacement(call));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String orNone(String part) {
        return part == null || part.isBlank() ? "none" : part.trim();
    }
}
