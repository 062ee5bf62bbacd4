package dev.cairn.grammar;

import static dev.cairn.grammar.Grammar.choice;
import static dev.cairn.grammar.Grammar.literal;
import static dev.cairn.grammar.Grammar.repeat;
import static dev.cairn.grammar.Grammar.sequence;
import static dev.cairn.grammar.Recognizer.isPrefix;
import static dev.cairn.grammar.Recognizer.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The combinators and the byte-level recognizer: what each grammar accepts and refuses. */
class GrammarTest {
    @Test
    void literalSequenceAndChoiceMatchExactly() {
        Grammar g = sequence(literal("ab"), choice(literal("c"), literal("de")), literal("é"));
        assertThat(matches(g, "abcé")).isTrue();
        assertThat(matches(g, "abdeé")).isTrue();
        assertThat(matches(g, "abd")).isFalse();
        assertThat(isPrefix(g, "abd")).isTrue();
        assertThat(isPrefix(g, "abx")).isFalse();
        assertThat(matches(g, "abcéx")).isFalse();
    }

    @Test
    void repeatHonoursBothBounds() {
        Grammar g = repeat(literal("ab"), 2, 4);
        assertThat(matches(g, "ab")).isFalse();
        assertThat(matches(g, "abab")).isTrue();
        assertThat(matches(g, "abababab")).isTrue();
        assertThat(isPrefix(g, "ababababa")).isFalse();
        Grammar star = sequence(repeat(literal("x"), 0, -1), literal("!"));
        assertThat(matches(star, "!")).isTrue();
        assertThat(matches(star, "x".repeat(5000) + "!")).isTrue();
    }

    @Test
    void whitespaceIsBounded() {
        Grammar g = sequence(literal("["), Grammar.whitespace(), literal("]"));
        assertThat(matches(g, "[ \t\r\n]")).isTrue();
        assertThat(matches(g, "[" + " ".repeat(Grammar.MAX_WHITESPACE) + "]")).isTrue();
        assertThat(isPrefix(g, "[" + " ".repeat(Grammar.MAX_WHITESPACE + 1))).isFalse();
    }

    @Test
    void textWithoutStopsBeforeItsTerminator() {
        Grammar g = sequence(literal("<p>"), Grammar.textWithout("</p>"), literal("</p>"));
        assertThat(matches(g, "<p>a < b </ c </q> ünï €</p>")).isTrue();
        assertThat(matches(g, "<p></p>")).isTrue();
        assertThat(matches(g, "<p>x</p")).isFalse();
        // After the first terminator the text is over: nothing may follow it.
        assertThat(isPrefix(g, "<p>x</p>y")).isFalse();
        // Overlapping partial matches fall back correctly (KMP): "<</p>" ends at its terminator.
        assertThat(matches(g, "<p><</p>")).isTrue();
        assertThat(matches(Grammar.textWithout("aab"), "aaab")).isFalse();
        assertThat(matches(Grammar.textWithout("aab"), "aaba")).isFalse();
        assertThat(matches(Grammar.textWithout("aab"), "abaa")).isTrue();
    }

    @Test
    void textRefusesMalformedUtf8() {
        Grammar g = Grammar.anyText();
        assertThat(matches(g, new byte[] {(byte) 0xC3, (byte) 0xA9})).isTrue();
        assertThat(isPrefixBytes(g, new byte[] {(byte) 0xC3})).isTrue();
        assertThat(matches(g, new byte[] {(byte) 0xC3})).isFalse();
        assertThat(isPrefixBytes(g, new byte[] {(byte) 0xC0, (byte) 0x80})).isFalse(); // overlong
        assertThat(isPrefixBytes(g, new byte[] {(byte) 0xED, (byte) 0xA0})).isFalse(); // surrogate
        assertThat(isPrefixBytes(g, new byte[] {(byte) 0x80})).isFalse(); // stray continuation
        assertThat(matches(g, "😀 ok")).isTrue();
    }

    private static boolean isPrefixBytes(Grammar g, byte[] bytes) {
        return CompiledGrammar.compile(g).initial.advance(bytes) != null;
    }

    @Test
    void jsonValueAcceptsJsonAndRefusesTheRest() {
        Grammar g = Grammar.jsonValue();
        for (String ok : new String[] {"null", "true", "-0", "12.5e-3", "\"a\\n\\u00e9\\\"\"", "[]", "{}",
                "{\"a\": [1, {\"b\": null}], \"c\" : \"😀\"}", "[ 1 ,2 ]", "\"\\ud7ff\""}) {
            assertThat(matches(g, ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"nul", "01", "1.", "[1,]", "{\"a\"}", "{a: 1}", "\"\\x\"", "\"\n\"",
                "\"\\ud800\"", "[1 2]", "+1", "'a'"}) {
            assertThat(matches(g, bad)).as(bad).isFalse();
        }
    }

    @Test
    void jsonObjectIsOnlyObjects() {
        assertThat(matches(Grammar.jsonObject(), "{\"k\": [1, 2]}")).isTrue();
        assertThat(matches(Grammar.jsonObject(), "[1]")).isFalse();
    }

    @Test
    void equalGrammarsAreEqualValues() {
        Grammar a = sequence(literal("a"), repeat(choice(literal("b"), literal("c")), 0, 3));
        Grammar b = sequence(literal("a"), repeat(choice(literal("b"), literal("c")), 0, 3));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(sequence(literal("a"), repeat(choice(literal("b"), literal("c")), 0, 4)));
        assertThat(sequence(literal("a"), literal("b"))).isEqualTo(literal("ab"));
        String schema = "{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}}}";
        assertThat(Grammar.jsonSchema(SchemaCheck.parse(schema))).isEqualTo(Grammar.jsonSchema(SchemaCheck.parse(schema)));
    }

    @Test
    void recursionThroughSelf() {
        // Balanced parentheses.
        Grammar g = Grammar.recursive("p", repeat(sequence(literal("("), Grammar.self("p"), literal(")")), 0, -1));
        assertThat(matches(g, "(()(()))()")).isTrue();
        assertThat(matches(g, "(()")).isFalse();
        assertThat(isPrefix(g, "())")).isFalse();
        assertThatThrownBy(() -> CompiledGrammar.compile(Grammar.self("q"))).isInstanceOf(IllegalArgumentException.class);
    }
}
