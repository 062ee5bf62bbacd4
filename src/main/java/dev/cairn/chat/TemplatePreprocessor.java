package dev.cairn.chat;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a template's source to what Jinjava parses the way jinja2 would, before parsing:
 * <ul>
 *   <li>line breaks as jinja2's lexer reads them: CRLF and CR become {@code \n}, and one trailing newline is
 *       dropped ({@code keep_trailing_newline=False});</li>
 *   <li>whitespace control and comments resolved as jinja2 does ({@link JinjaWhitespace}); Jinjava's differs;</li>
 *   <li>slices ({@code messages[::-1]}, {@code content[:-1]}) become a call of
 *       {@link PythonMethodResolver#SLICE_METHOD}, which implements Python's slice semantics;</li>
 *   <li>the Python escapes backslash-u (4 hex digits), backslash-U (8) and backslash-x (2) in string literals become
 *       the character itself (Jinjava's lexer rejects them);</li>
 *   <li>{@code }}} inside an expression (nested dict literals) is spaced out so it does not end the tag.</li>
 * </ul>
 * Apart from line breaks and comments, only the insides of {@code {{ }}} and {@code {% %}} are touched.
 */
final class TemplatePreprocessor {
    // A subscript (after a name, a literal, ')' or ']') holding one or two ':' and no brackets, braces or quotes.
    private static final Pattern SLICE = Pattern.compile(
            "(?<=[\\w)\\]'\"])\\s*\\[([^\\[\\]{}:'\"]*):([^\\[\\]{}:'\"]*)(?::([^\\[\\]{}:'\"]*))?\\]");
    private static final Pattern FILTER_USE = Pattern.compile("\\|\\s*([A-Za-z_]\\w*)");
    private static final Pattern TEST_USE = Pattern.compile("\\bis\\s+(?:not\\s+)?([A-Za-z_]\\w*)");
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r");

    private TemplatePreprocessor() {
    }

    static String process(String source) {
        String template = LINE_BREAK.matcher(source).replaceAll("\n");
        if (template.endsWith("\n")) {
            template = template.substring(0, template.length() - 1);
        }
        template = JinjaWhitespace.apply(template);
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            int open = nextOpen(template, i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int end = tagEnd(template, open);
            if (end < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open + 2);
            out.append(spaceClosingBraces(rewriteSlices(unescapeUnicode(template.substring(open + 2, end)))));
            i = end;
        }
        return out.toString();
    }

    /** Names of the filters the (processed) template applies, e.g. "tojson" for {@code {{ x | tojson }}}. */
    static Set<String> filterNames(String template) {
        return namesIn(template, FILTER_USE);
    }

    /** Names of the tests the (processed) template applies, e.g. "defined" for {@code x is not defined}. */
    static Set<String> testNames(String template) {
        return namesIn(template, TEST_USE);
    }

    private static Set<String> namesIn(String template, Pattern use) {
        Set<String> names = new TreeSet<>();
        int i = 0;
        while (true) {
            int open = nextOpen(template, i);
            int end = open < 0 ? -1 : tagEnd(template, open);
            if (end < 0) {
                return names;
            }
            Matcher m = use.matcher(blankStrings(template.substring(open + 2, end)));
            while (m.find()) {
                names.add(m.group(1));
            }
            i = end;
        }
    }

    // The expression with the insides of its string literals blanked, so '|' or ' is ' in text is not matched.
    private static String blankStrings(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        char quote = 0;
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            if (quote != 0) {
                if (c == '\\') {
                    k++;
                    sb.append("  ");
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                    sb.append(c);
                } else {
                    sb.append(' ');
                }
            } else {
                if (c == '\'' || c == '"') {
                    quote = c;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Index of the "}}" or "%}" closing the tag opened at {@code open}, skipping quoted text and nested braces. */
    private static int tagEnd(String s, int open) {
        char closer = s.charAt(open + 1) == '{' ? '}' : '%';
        int depth = 0;
        for (int i = open + 2; i + 1 < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = QuotedText.end(s, i);
            } else if (c == closer && s.charAt(i + 1) == '}' && (closer == '%' || depth == 0)) {
                return i;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
        }
        return -1;
    }

    private static String spaceClosingBraces(String expr) {
        if (!expr.contains("}}")) {
            return expr;
        }
        StringBuilder sb = new StringBuilder(expr.length() + 4);
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            sb.append(c);
            if (quote != 0) {
                if (c == '\\' && i + 1 < expr.length()) {
                    sb.append(expr.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '}' && i + 1 < expr.length() && expr.charAt(i + 1) == '}') {
                sb.append(' ');
            }
        }
        return sb.toString();
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

    /** Replaces Python's unicode/hex escapes inside quoted literals by the characters they stand for. */
    static String unescapeUnicode(String expr) {
        if (expr.indexOf('\\') < 0) {
            return expr;
        }
        StringBuilder sb = new StringBuilder(expr.length());
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote == 0) {
                if (c == '\'' || c == '"') {
                    quote = c;
                }
                sb.append(c);
            } else if (c == '\\' && i + 1 < expr.length()) {
                char k = expr.charAt(i + 1);
                int digits = k == 'u' ? 4 : k == 'U' ? 8 : k == 'x' ? 2 : 0;
                int cp = digits == 0 ? -1 : hex(expr, i + 2, digits);
                if (cp < 0) {
                    sb.append(c).append(k);
                } else {
                    String ch = Character.toString(cp);
                    sb.append(ch.equals("\\") || ch.charAt(0) == quote ? "\\" + ch : ch);
                    i += digits;
                }
                i++;
            } else {
                if (c == quote) {
                    quote = 0;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int hex(String s, int from, int digits) {
        if (from + digits > s.length()) {
            return -1;
        }
        try {
            int cp = Integer.parseInt(s.substring(from, from + digits), 16);
            return Character.isValidCodePoint(cp) ? cp : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String orNone(String part) {
        return part == null || part.isBlank() ? "none" : part.trim();
    }
}
