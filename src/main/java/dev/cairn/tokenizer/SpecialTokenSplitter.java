package dev.cairn.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Cuts special-token text out of the input before tokenizing, as llama.cpp's tokenizer_st_partition: longest
 * special tokens first; user-defined tokens always, control and unknown tokens only when parsing specials.
 * Tokens marked LSTRIP/RSTRIP swallow the whitespace beside them (Phi-3's do).
 */
final class SpecialTokenSplitter {
    /** A piece of the input: raw text {@code [offset, offset+length)}, or a special token when {@code token >= 0}. */
    record Fragment(int token, int offset, int length) {
        boolean isText() {
            return token < 0;
        }
    }

    private SpecialTokenSplitter() {
    }

    static List<Fragment> split(Vocabulary v, String text, boolean parseSpecial) {
        List<Fragment> frags = new ArrayList<>();
        if (text.isEmpty()) {
            return frags;
        }
        frags.add(new Fragment(-1, 0, text.length()));
        // Vocabularies can have thousands of special tokens (DeepSeek: 2400); most cannot occur in a given text.
        BitSet present = new BitSet(128);
        text.chars().forEach(present::set);
        for (int id : v.specialTokens) {
            if (!parseSpecial && v.has(id, TokenAttr.CONTROL | TokenAttr.UNKNOWN)) {
                continue;
            }
            String special = v.texts[id];
            if (!present.get(special.charAt(0))) {
                continue;
            }
            List<Fragment> next = null;
            for (int k = 0; k < frags.size(); k++) {
                Fragment f = frags.get(k);
                int match = f.isText() ? text.indexOf(special, f.offset(), f.offset() + f.length()) : -1;
                if (match < 0 || match + special.length() > f.offset() + f.length()) {
                    if (next != null) {
                        next.add(f);
                    }
                    continue;
                }
                if (next == null) {
                    next = new ArrayList<>(frags.subList(0, k));
                }
                splitFragment(v, text, id, special, f.offset(), f.length(), next);
            }
            if (next != null) {
                frags = next;
            }
        }
        return frags;
    }

    private static void splitFragment(Vocabulary v, String text, int id, String special, int off, int len, List<Fragment> out) {
        while (true) {
            int match = text.indexOf(special, off, off + len);
            if (match < 0 || match + special.length() > off + len) {
                if (len > 0) {
                    out.add(new Fragment(-1, off, len));
                }
                return;
            }
            if (match > off) {
                int leftLen = match - off;
                if (v.has(id, TokenAttr.LSTRIP)) {
                    while (leftLen > 0 && isSpace(text.charAt(off + leftLen - 1))) {
                        leftLen--;
                    }
                }
                if (leftLen > 0) {
                    out.add(new Fragment(-1, off, leftLen));
                }
            }
            out.add(new Fragment(id, match, special.length()));
            int end = off + len;
            off = match + special.length();
            len = end - off;
            if (len == 0) {
                return;
            }
            if (v.has(id, TokenAttr.RSTRIP)) {
                while (len > 0 && isSpace(text.charAt(off))) {
                    off++;
                    len--;
                }
            }
        }
    }

    /** C's isspace in the "C" locale, which llama.cpp uses for LSTRIP/RSTRIP. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
