package dev.cairn.grammar;

import dev.cairn.grammar.CompiledGrammar.Stack;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a parse stands after some bytes: the set of parse stacks still alive (llama.cpp's grammar stacks). Immutable,
 * so a state can be advanced speculatively (by a candidate token's bytes) and kept or dropped; equal states are
 * equal values (used as keys of the per-state mask cache).
 */
final class GrammarState {
    private static final Stack[] NONE = new Stack[0];

    final CompiledGrammar grammar;
    private final Stack[] stacks;
    private final boolean accepting;
    private final int hash;

    private GrammarState(CompiledGrammar grammar, Stack[] stacks, boolean accepting) {
        this.grammar = grammar;
        this.stacks = stacks;
        this.accepting = accepting;
        int h = accepting ? 1 : 0;
        for (Stack s : stacks) {
            h += s.hashCode() * 0x9E3779B1;
        }
        this.hash = h;
    }

    /** The state of the expanded stacks in {@code out}; null when none is alive. */
    static GrammarState of(CompiledGrammar grammar, List<Stack> out) {
        if (out.isEmpty()) {
            return null;
        }
        boolean accepting = false;
        int live = 0;
        for (Stack s : out) {
            if (s == Stack.ACCEPT) {
                accepting = true;
            } else {
                live++;
            }
        }
        Stack[] stacks = live == 0 ? NONE : new Stack[live];
        int k = 0;
        for (Stack s : out) {
            if (s != Stack.ACCEPT) {
                stacks[k++] = s;
            }
        }
        return new GrammarState(grammar, stacks, accepting);
    }

    /** The state after one more byte, or null when the byte cannot come next. */
    GrammarState advance(int b) {
        List<Stack> out = null;
        for (Stack s : stacks) {
            if (grammar.matches(s.pos, b)) {
                if (out == null) {
                    out = new ArrayList<>(4);
                }
                grammar.expand(s.pos + 1, s.next, out, 0);
            }
        }
        return out == null ? null : of(grammar, out);
    }

    /** The state after all of {@code bytes}, or null when they cannot come next. */
    GrammarState advance(byte[] bytes) {
        GrammarState st = this;
        for (int i = 0; i < bytes.length && st != null; i++) {
            st = st.advance(bytes[i] & 0xFF);
        }
        return st;
    }

    /** True when the text so far is a complete match. */
    boolean accepting() {
        return accepting;
    }

    /** True when no byte at all can follow. */
    boolean finished() {
        return stacks.length == 0;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GrammarState g) || g.hash != hash || g.accepting != accepting
                || g.stacks.length != stacks.length || g.grammar != grammar) {
            return false;
        }
        outer:
        for (Stack s : stacks) {
            for (Stack t : g.stacks) {
                if (s.equals(t)) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }
}
