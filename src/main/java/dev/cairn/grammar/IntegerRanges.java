package dev.cairn.grammar;

import static dev.cairn.grammar.Grammar.choice;
import static dev.cairn.grammar.Grammar.literal;
import static dev.cairn.grammar.Grammar.repeat;
import static dev.cairn.grammar.Grammar.sequence;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON integers within bounds, as digit patterns (the construction of llama.cpp's json-schema-to-grammar): every
 * number the grammar allows is in range and every one in range (up to {@link JsonGrammars#MAX_INT_DIGITS} digits
 * when unbounded) is allowed.
 */
final class IntegerRanges {
    private IntegerRanges() {
    }

    /** Integers in [lo, hi]; null = unbounded on that side. Null when the range is empty. */
    static Grammar integer(Long lo, Long hi) {
        if (lo != null && hi != null && lo > hi) {
            return null;
        }
        List<Grammar> options = new ArrayList<>();
        if (hi == null || hi >= 0) {
            options.add(nonNegative(lo == null ? 0 : Math.max(lo, 0), hi));
        }
        if (lo == null || lo < 0) {
            long mlo = hi == null || hi >= 0 ? 1 : -hi;
            Long mhi = lo == null ? null : (lo == Long.MIN_VALUE ? Long.MAX_VALUE : -lo);
            options.add(sequence(literal("-"), nonNegative(mlo, mhi)));
        }
        return choice(options);
    }

    /** Digits of an integer in [lo, hi] (lo >= 0; hi null = unbounded), no sign, no leading zeros. */
    static Grammar nonNegative(long lo, Long hi) {
        String a = Long.toString(lo);
        int from = a.length();
        List<Grammar> options = new ArrayList<>();
        if (hi == null) {
            int cap = Math.max(JsonGrammars.MAX_INT_DIGITS, from);
            options.add(sameLength(a, "9".repeat(from)));
            if (cap > from) {
                options.add(sequence(JsonGrammars.NONZERO, repeat(JsonGrammars.DIGIT, from, cap - 1)));
            }
            return choice(options);
        }
        String b = Long.toString(hi);
        for (int len = from; len <= b.length(); len++) {
            String lowest = len == from ? a : "1" + "0".repeat(len - 1);
            String highest = len == b.length() ? b : "9".repeat(len);
            options.add(sameLength(lowest, highest));
        }
        return choice(options);
    }

    /** Decimal strings of one length between lo and hi inclusive. */
    private static Grammar sameLength(String lo, String hi) {
        int n = lo.length();
        if (n == 0 || lo.equals(hi)) {
            return literal(lo);
        }
        char a = lo.charAt(0);
        char b = hi.charAt(0);
        String restLo = lo.substring(1);
        String restHi = hi.substring(1);
        if (a == b) {
            return sequence(literal(String.valueOf(a)), sameLength(restLo, restHi));
        }
        boolean lowAll = restLo.chars().allMatch(c -> c == '0');
        boolean highAll = restHi.chars().allMatch(c -> c == '9');
        List<Grammar> options = new ArrayList<>();
        char fullFrom = a;
        char fullTo = b;
        if (!lowAll) {
            options.add(sequence(literal(String.valueOf(a)), sameLength(restLo, "9".repeat(n - 1))));
            fullFrom = (char) (a + 1);
        }
        if (!highAll) {
            options.add(sequence(literal(String.valueOf(b)), sameLength("0".repeat(n - 1), restHi)));
            fullTo = (char) (b - 1);
        }
        if (fullFrom <= fullTo) {
            options.add(sequence(Grammar.byteRange(fullFrom, fullTo), repeat(JsonGrammars.DIGIT, n - 1, n - 1)));
        }
        return choice(options);
    }
}
