package dev.cairn.grammar;

import static dev.cairn.grammar.Grammar.anyOf;
import static dev.cairn.grammar.Grammar.byteRange;
import static dev.cairn.grammar.Grammar.choice;
import static dev.cairn.grammar.Grammar.literal;
import static dev.cairn.grammar.Grammar.optional;
import static dev.cairn.grammar.Grammar.repeat;
import static dev.cairn.grammar.Grammar.sequence;

import java.util.ArrayList;
import java.util.List;

/** The byte-level building blocks of JSON and UTF-8 text. */
final class JsonGrammars {
    private JsonGrammars() {
    }

    /** Digits of a free integer part, fraction and exponent: bounded, so that a model cannot extend a number forever. */
    static final int MAX_INT_DIGITS = 16;
    static final int MAX_FRACTION_DIGITS = 16;
    static final int MAX_EXPONENT_DIGITS = 3;

    static final Grammar WS = repeat(anyOf(" \t\n\r"), 0, Grammar.MAX_WHITESPACE);

    private static final Grammar CONT = byteRange(0x80, 0xBF);

    /** One multi-byte UTF-8 character, exactly the well-formed sequences (no overlongs, no surrogates). */
    static final Grammar UTF8_MULTI = choice(
            sequence(byteRange(0xC2, 0xDF), CONT),
            sequence(literalByte(0xE0), byteRange(0xA0, 0xBF), CONT),
            sequence(choice(byteRange(0xE1, 0xEC), byteRange(0xEE, 0xEF)), CONT, CONT),
            sequence(literalByte(0xED), byteRange(0x80, 0x9F), CONT),
            sequence(literalByte(0xF0), byteRange(0x90, 0xBF), CONT, CONT),
            sequence(byteRange(0xF1, 0xF3), CONT, CONT, CONT),
            sequence(literalByte(0xF4), byteRange(0x80, 0x8F), CONT, CONT));

    static final Grammar UTF8_CHAR = choice(byteRange(0x00, 0x7F), UTF8_MULTI);

    static final Grammar DIGIT = byteRange('0', '9');
    static final Grammar NONZERO = byteRange('1', '9');
    static final Grammar HEX = choice(DIGIT, byteRange('a', 'f'), byteRange('A', 'F'));

    /**
     * One character of a JSON string: printable ASCII except quote and backslash, any well-formed multi-byte
     * character, or an escape. {@code \}{@code u} escapes of surrogates are left out, so every character is one code
     * point (string lengths count right) and no lone surrogate can appear.
     */
    static final Grammar STRING_CHAR = choice(
            byteRange(0x20, 0x21), byteRange(0x23, 0x5B), byteRange(0x5D, 0x7F), UTF8_MULTI,
            sequence(literal("\\"), choice(anyOf("\"\\/bfnrt"), sequence(literal("u"), choice(
                    sequence(choice(DIGIT, byteRange('a', 'c'), byteRange('A', 'C'), anyOf("eEfF")), HEX, HEX, HEX),
                    sequence(anyOf("dD"), byteRange('0', '7'), HEX, HEX))))));

    /** A string character that is not an escape: such strings read the same raw and decoded. */
    static final Grammar PLAIN_STRING_CHAR = choice(
            byteRange(0x20, 0x21), byteRange(0x23, 0x5B), byteRange(0x5D, 0x7F), UTF8_MULTI);

    static final Grammar STRING = string(0, -1);

    static final Grammar INTEGER = sequence(optional(literal("-")), choice(literal("0"),
            sequence(NONZERO, repeat(DIGIT, 0, MAX_INT_DIGITS - 1))));

    static final Grammar NUMBER = sequence(INTEGER,
            optional(sequence(literal("."), repeat(DIGIT, 1, MAX_FRACTION_DIGITS))),
            optional(sequence(anyOf("eE"), optional(anyOf("+-")), repeat(DIGIT, 1, MAX_EXPONENT_DIGITS))));

    static final Grammar BOOLEAN = choice(literal("true"), literal("false"));
    static final Grammar NULL = literal("null");

    static final Grammar VALUE = Grammar.recursive("json-value", choice(
            object(Grammar.self("json-value")), array(Grammar.self("json-value")), STRING, NUMBER, BOOLEAN, NULL));

    static final Grammar OBJECT = object(VALUE);

    static Grammar string(int minChars, int maxChars) {
        return sequence(literal("\""), repeat(STRING_CHAR, minChars, maxChars), literal("\""));
    }

    /** "{" members "}" with any keys and values of {@code value}. */
    static Grammar object(Grammar value) {
        Grammar member = sequence(STRING, WS, literal(":"), WS, value);
        return sequence(literal("{"), WS, optional(sequence(member, repeat(sequence(WS, literal(","), WS, member), 0, -1),
                WS)), literal("}"));
    }

    /** "[" items "]", between min and max items (max -1: any number). */
    static Grammar array(Grammar item, int min, int max) {
        if (max == 0) {
            return sequence(literal("["), WS, literal("]"));
        }
        Grammar more = repeat(sequence(WS, literal(","), WS, item), Math.max(0, min - 1), max < 0 ? -1 : max - 1);
        Grammar items = sequence(item, more, WS);
        return sequence(literal("["), WS, min == 0 ? optional(items) : items, literal("]"));
    }

    static Grammar array(Grammar item) {
        return array(item, 0, -1);
    }

    private static Grammar literalByte(int b) {
        return byteRange(b, b);
    }

    /**
     * Valid UTF-8 text in which {@code terminator} never occurs: the states of a string-matching automaton for the
     * terminator, each a rule that may stop or take one more character. Multi-byte characters cannot be part of an
     * ASCII terminator, so they lead back to the start.
     */
    static Grammar textWithout(String terminator) {
        if (terminator.isEmpty()) {
            throw new IllegalArgumentException("the terminator must not be empty");
        }
        for (char c : terminator.toCharArray()) {
            if (c >= 128) {
                throw new IllegalArgumentException("the terminator must be ASCII: " + terminator);
            }
        }
        int m = terminator.length();
        int[][] next = kmpTable(terminator);
        // State i = the last i characters typed equal the terminator's first i. Written as one recursive grammar per
        // state, each naming the others through self references bound by one enclosing recursion per state.
        List<Grammar> bodies = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            List<Grammar> options = new ArrayList<>();
            options.add(Grammar.empty());
            for (int j = 0; j < m; j++) {
                long[] bits = new long[4];
                boolean any = false;
                for (int b = 0; b < 128; b++) {
                    if (next[i][b] == j) {
                        bits[b >> 6] |= 1L << (b & 63);
                        any = true;
                    }
                }
                if (any) {
                    options.add(sequence(new Grammar.ByteSet(bits), Grammar.self(stateName(j))));
                }
            }
            options.add(sequence(UTF8_MULTI, Grammar.self(stateName(0))));
            bodies.add(choice(options));
        }
        return bindStates(bodies, 0, m);
    }

    private static String stateName(int i) {
        return "text-state-" + i;
    }

    /**
     * State {@code i} as a closed grammar: its body with every other state substituted by a recursion over the
     * state's own body. Mutual recursion becomes nested recursion, which the compiler turns into one rule each.
     */
    private static Grammar bindStates(List<Grammar> bodies, int start, int m) {
        // One recursion per state, nested so each body sees all names bound: rec s0 = body0[s1 := rec s1 = body1[...]].
        return bind(bodies, start, new boolean[m]);
    }

    private static Grammar bind(List<Grammar> bodies, int i, boolean[] open) {
        open[i] = true;
        Grammar body = substitute(bodies.get(i), bodies, open);
        open[i] = false;
        return Grammar.recursive(stateName(i), body);
    }

    private static Grammar substitute(Grammar g, List<Grammar> bodies, boolean[] open) {
        return switch (g) {
            case Grammar.Self s -> {
                int j = Integer.parseInt(s.name.substring("text-state-".length()));
                yield open[j] ? s : bind(bodies, j, open);
            }
            case Grammar.Seq s -> sequence(s.parts.stream().map(p -> substitute(p, bodies, open)).toList());
            case Grammar.Choice c -> choice(c.options.stream().map(p -> substitute(p, bodies, open)).toList());
            default -> g;
        };
    }

    /** next[i][b]: the automaton state after byte b in state i (m = the terminator was completed). */
    private static int[][] kmpTable(String t) {
        int m = t.length();
        int[][] next = new int[m][128];
        int fallback = 0;
        for (int i = 0; i < m; i++) {
            for (int b = 0; b < 128; b++) {
                next[i][b] = i > 0 ? next[fallback][b] : 0;
            }
            next[i][t.charAt(i)] = i + 1;
            if (i > 0) {
                fallback = next[fallback][t.charAt(i)];
            }
        }
        return next;
    }
}
