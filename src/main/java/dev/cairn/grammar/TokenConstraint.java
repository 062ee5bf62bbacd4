package dev.cairn.grammar;

/**
 * Which tokens may come next in one generation (stateful; one instance per generation, used by the engine's
 * scheduler thread only). The engine samples as usual, asks {@link #allows} about the sampled token, and only when
 * it is refused masks the logits and samples again, as llama.cpp does.
 */
public interface TokenConstraint {
    /** True when {@code tokenId} may come next. End-of-generation tokens are the engine's business: see {@link #canEnd}. */
    boolean allows(int tokenId);

    /** Sets the logit of every token that may not come next to negative infinity. */
    void mask(float[] logits);

    /** Advances past a token (one that {@link #allows} accepted). */
    void accept(int tokenId);

    /** True when the output so far is complete, so the generation may end here (an end-of-generation token is allowed). */
    boolean canEnd();

    /** True when nothing at all can follow: the engine ends the generation as if the model had stopped. */
    boolean mustEnd();
}
