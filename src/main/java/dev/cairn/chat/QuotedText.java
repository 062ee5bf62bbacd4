package dev.cairn.chat;

/** Scanning past Python/Jinja string literals in template source. */
final class QuotedText {
    private QuotedText() {}

    /**
     * Index of the quote that closes the literal opened by the quote at {@code open} (a backslash escapes the next
     * character), or {@code s.length()} when the literal is never closed.
     */
    static int end(String s, int open) {
        char quote = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return s.length();
    }
}
