package dev.cairn.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** llama.cpp's lazy grammar: free text until a trigger, then the grammar from the trigger's first byte. */
class LazyConstraintTest {
    private final ListTokenizer tok = new ListTokenizer(List.of("</s>", "<tool_call>", "</tool_call>", "Sure", " ", "I",
            "'ll", "call", "<", "tool", "_call", ">", "<to", "ol_call>", "ol_call>{", "ol_call>x", "{", "}", "\"",
            "name", "\":", "\"x\"", "x", "\n", "a<to", "{\"", "\"}"));

    private final Grammar call = Grammar.sequence(Grammar.literal("<tool_call>"), Grammar.whitespace(),
            Grammar.jsonSchema(SchemaCheck.parse("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                    + "\"required\":[\"name\"]}")), Grammar.whitespace(), Grammar.literal("</tool_call>"));

    private TokenConstraint lazy() {
        return TokenConstraints.lazy(call, List.of("<tool_call>"), tok);
    }

    private void feed(TokenConstraint c, String... tokens) {
        for (String t : tokens) {
            assertThat(c.allows(tok.id(t))).as("allows %s", t).isTrue();
            c.accept(tok.id(t));
        }
    }

    @Test
    void freeUntilTheTrigger() {
        TokenConstraint c = lazy();
        feed(c, "Sure", " ", "I", "'ll", " ", "call", " ", "x", "}", "\"");
        assertThat(c.canEnd()).isTrue();
        assertThat(c.mustEnd()).isFalse();
        float[] logits = new float[tok.vocabSize()];
        c.mask(logits);
        // No trigger under way: nothing is masked, the end token included.
        for (int id = 0; id < logits.length; id++) {
            assertThat(logits[id]).as(tok.tokenText(id)).isZero();
        }
    }

    @Test
    void triggerAsOneSpecialToken() {
        TokenConstraint c = lazy();
        feed(c, "Sure", "<tool_call>");
        assertThat(c.canEnd()).as("inside a call").isFalse();
        assertThat(c.allows(tok.id("Sure"))).isFalse();
        assertThat(c.allows(tok.id("\n"))).isTrue();
        float[] logits = new float[tok.vocabSize()];
        c.mask(logits);
        assertThat(logits[tok.id("{")]).isZero();
        assertThat(logits[tok.id("Sure")]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(logits[0]).as("no end inside the call").isEqualTo(Float.NEGATIVE_INFINITY);
        feed(c, "\n", "{\"", "name", "\":", "\"x\"", "}", "\n");
        assertThat(c.mustEnd()).isFalse();
        feed(c, "</tool_call>");
        assertThat(c.canEnd()).isTrue();
        assertThat(c.mustEnd()).isTrue();
    }

    @Test
    void triggerAsPlainTextSplitAcrossTokens() {
        TokenConstraint c = lazy();
        feed(c, "I", "<", "tool", "_call");
        assertThat(c.canEnd()).as("not triggered yet").isTrue();
        assertThat(c.allows(tok.id("Sure"))).isTrue();
        feed(c, ">");
        assertThat(c.canEnd()).isFalse();
        assertThat(c.allows(tok.id("x"))).isFalse();
        feed(c, "{\"", "name", "\":", "\"x\"", "\"}".substring(1), "</tool_call>");
        assertThat(c.mustEnd()).isTrue();
    }

    @Test
    void theTokenCompletingTheTriggerIsCheckedWithWhatFollowsInIt() {
        TokenConstraint c = lazy();
        feed(c, "a<to");
        assertThat(c.allows(tok.id("ol_call>{"))).isTrue();
        assertThat(c.allows(tok.id("ol_call>x"))).as("the rest of the token breaks the grammar").isFalse();
        float[] logits = new float[tok.vocabSize()];
        c.mask(logits);
        assertThat(logits[tok.id("ol_call>x")]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(logits[tok.id("ol_call>{")]).isZero();
        assertThat(logits[tok.id("Sure")]).isZero();
        feed(c, "ol_call>{");
        assertThat(c.canEnd()).isFalse();
        assertThat(c.allows(tok.id("\""))).isTrue();
        assertThat(c.allows(tok.id("}"))).as("name is required").isFalse();
    }
}
