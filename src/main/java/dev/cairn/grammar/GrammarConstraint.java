package dev.cairn.grammar;

/** The whole output must match the grammar from its first byte. */
final class GrammarConstraint implements TokenConstraint {
    private final VocabGrammar grammar;
    private GrammarState state;

    GrammarConstraint(VocabGrammar grammar) {
        this(grammar, grammar.grammar.initial);
    }

    /** Continues from {@code state} (a lazy constraint hands over the state after its trigger). */
    GrammarConstraint(VocabGrammar grammar, GrammarState state) {
        this.grammar = grammar;
        this.state = state;
    }

    @Override
    public boolean allows(int tokenId) {
        return next(tokenId) != null;
    }

    private GrammarState next(int tokenId) {
        TokenVocab v = grammar.vocab;
        if (tokenId < 0 || tokenId >= v.size || !v.grammarToken(tokenId)) {
            return null;
        }
        return state.advance(v.bytes[tokenId]);
    }

    @Override
    public void mask(float[] logits) {
        applyMask(logits, grammar.allowed(state), grammar.vocab, canEnd());
    }

    /** Refused tokens get negative infinity; end-of-generation tokens keep their logit only when the output may end. */
    static void applyMask(float[] logits, long[] allowed, TokenVocab vocab, boolean canEnd) {
        int n = Math.min(logits.length, vocab.size);
        for (int w = 0; w < allowed.length; w++) {
            long bits = allowed[w];
            if (bits == -1L) {
                continue;
            }
            int base = w << 6;
            for (int i = base, end = Math.min(n, base + 64); i < end; i++) {
                if ((bits >>> (i - base) & 1) == 0 && !vocab.endOfGeneration[i]) {
                    logits[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        for (int i = vocab.size; i < logits.length; i++) {
            logits[i] = Float.NEGATIVE_INFINITY;
        }
        if (!canEnd) {
            for (int id : vocab.eogIds) {
                if (id < logits.length) {
                    logits[id] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    @Override
    public void accept(int tokenId) {
        GrammarState n = next(tokenId);
        if (n == null) {
            throw new IllegalStateException("token " + tokenId + " does not continue the grammar");
        }
        state = n;
    }

    @Override
    public boolean canEnd() {
        return state.accepting();
    }

    @Override
    public boolean mustEnd() {
        return state.finished();
    }
}
