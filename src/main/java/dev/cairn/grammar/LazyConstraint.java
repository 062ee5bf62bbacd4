package dev.cairn.grammar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Free text until the output contains a trigger; from the trigger's first byte on, the output must match the
 * grammar. A token that completes a trigger is allowed only when the text from the trigger to the token's end is a
 * valid start of the grammar, so the trigger and whatever the same token adds after it are both checked.
 */
final class LazyConstraint implements TokenConstraint {
    private final VocabGrammar grammar;
    private final byte[][] triggers;
    /** The last bytes of the output (up to the longest trigger less one): a trigger may span tokens. */
    private byte[] tail = new byte[0];
    private final int keep;
    private GrammarConstraint active;

    LazyConstraint(VocabGrammar grammar, List<String> triggers) {
        if (triggers.isEmpty()) {
            throw new IllegalArgumentException("a lazy constraint needs at least one trigger");
        }
        this.grammar = grammar;
        this.triggers = new byte[triggers.size()][];
        int longest = 0;
        for (int i = 0; i < triggers.size(); i++) {
            this.triggers[i] = triggers.get(i).getBytes(StandardCharsets.UTF_8);
            if (this.triggers[i].length == 0) {
                throw new IllegalArgumentException("a trigger must not be empty");
            }
            longest = Math.max(longest, this.triggers[i].length);
        }
        this.keep = longest - 1;
    }

    /** True once a trigger has appeared (the grammar is in force). */
    boolean triggered() {
        return active != null;
    }

    @Override
    public boolean allows(int tokenId) {
        if (active != null) {
            return active.allows(tokenId);
        }
        TokenVocab v = grammar.vocab;
        if (tokenId < 0 || tokenId >= v.size || v.endOfGeneration[tokenId]) {
            return false;
        }
        return step(v.bytes[tokenId]) != Step.REFUSED;
    }

    @Override
    public void mask(float[] logits) {
        if (active != null) {
            active.mask(logits);
            return;
        }
        // Untriggered, only the few tokens that complete a trigger badly are refused: check each one directly.
        TokenVocab v = grammar.vocab;
        for (int id = 0; id < logits.length; id++) {
            if (id >= v.size || (!v.endOfGeneration[id] && !allows(id))) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public void accept(int tokenId) {
        if (active != null) {
            active.accept(tokenId);
            return;
        }
        byte[] bytes = grammar.vocab.bytes[tokenId];
        Step s = step(bytes);
        if (s == Step.REFUSED) {
            throw new IllegalStateException("token " + tokenId + " completes a trigger the grammar refuses");
        }
        if (s.state != null) {
            active = new GrammarConstraint(grammar, s.state);
            tail = null;
            return;
        }
        byte[] joined = concat(tail, bytes);
        tail = Arrays.copyOfRange(joined, Math.max(0, joined.length - keep), joined.length);
    }

    @Override
    public boolean canEnd() {
        return active == null || active.canEnd();
    }

    @Override
    public boolean mustEnd() {
        return active != null && active.mustEnd();
    }

    /** What taking {@code bytes} next would do: stay free, trigger (with the grammar's state), or be refused. */
    private Step step(byte[] bytes) {
        byte[] text = concat(tail, bytes);
        int start = -1;
        int end = Integer.MAX_VALUE;
        for (byte[] t : triggers) {
            int at = indexOf(text, t);
            // Earliest start wins; at the same start, the trigger completed first.
            if (at >= 0 && (start < 0 || at < start || (at == start && t.length < end - start))) {
                start = at;
                end = at + t.length;
            }
        }
        if (start < 0) {
            return Step.FREE;
        }
        GrammarState st = grammar.grammar.initial.advance(Arrays.copyOfRange(text, start, text.length));
        return st == null ? Step.REFUSED : new Step(st);
    }

    private static int indexOf(byte[] text, byte[] t) {
        outer:
        for (int i = 0; i + t.length <= text.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (text[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private record Step(GrammarState state) {
        static final Step FREE = new Step(null);
        static final Step REFUSED = new Step(null);
    }
}
