package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotedTextTest {
    @Test
    void findsTheClosingQuoteSkippingEscapesAndTheOtherQuote() {
        assertThat(QuotedText.end("'abc' rest", 0)).isEqualTo(4);
        assertThat(QuotedText.end("x \"a'b\" y", 2)).isEqualTo(6);
        assertThat(QuotedText.end("'it\\'s' + 'x'", 0)).isEqualTo(6);
        assertThat(QuotedText.end("'a\\\\' b", 0)).isEqualTo(4); // an escaped backslash does not escape the quote
        assertThat(QuotedText.end("'never closed", 0)).isEqualTo(13);
    }

    @Test
    void tagScannersIgnoreQuotedClosersAndKeywords() {
        assertThat(PythonForTag.splitFilter("items if 'if' in x")).containsExactly("items", "'if' in x");
        assertThat(PythonForTag.splitFilter("['a if b'] if c")).containsExactly("['a if b']", "c");
        assertThat(PythonForTag.splitFilter("'x if y'")).containsExactly("'x if y'", null);
    }
}
