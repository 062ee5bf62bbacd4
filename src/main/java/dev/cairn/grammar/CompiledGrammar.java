package dev.cairn.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A grammar as llama.cpp compiles one: numbered rules, each a list of alternatives, each a run of elements in one flat
 * code array. An element is a byte set (a terminal), a reference to a rule, or the end of an alternative. Immutable
 * once built, so states over it can be shared between threads and generations.
 */
final class CompiledGrammar {
    static final int END = 0;
    private static final int TAG_SET = 1 << 30;
    private static final int TAG_REF = 2 << 30;
    private static final int TAG_MASK = 3 << 30;

    /** Longest chain of rule expansions without consuming a byte: deeper means a left-recursive grammar. */
    private static final int MAX_EXPANSION_DEPTH = 4096;

    final int[] code;
    /** Byte sets by index: 256 bits each. */
    final long[][] sets;
    /** Start positions of each rule's alternatives. */
    final int[][] alternatives;
    final int root;
    final GrammarState initial;

    private CompiledGrammar(int[] code, long[][] sets, int[][] alternatives, int root) {
        this.code = code;
        this.sets = sets;
        this.alternatives = alternatives;
        this.root = root;
        List<Stack> out = new ArrayList<>();
        for (int alt : alternatives[root]) {
            expand(alt, null, out, 0);
        }
        this.initial = GrammarState.of(this, out);
    }

    static CompiledGrammar compile(Grammar grammar) {
        Builder b = new Builder();
        int root = b.rule(grammar, Map.of());
        return new CompiledGrammar(b.code(), b.sets.toArray(new long[0][]), b.alts.toArray(new int[0][]), root);
    }

    static boolean isSet(int element) {
        return (element & TAG_MASK) == TAG_SET;
    }

    boolean matches(int pos, int b) {
        long[] s = sets[code[pos] & ~TAG_MASK];
        return (s[b >> 6] >>> (b & 63) & 1) != 0;
    }

    /**
     * Adds to {@code out} every stack reachable from "next process {@code pos}, then {@code rest}" without consuming a
     * byte: stacks whose top is a byte set, or {@link Stack#ACCEPT} when the whole grammar can end here.
     */
    void expand(int pos, Stack rest, List<Stack> out, int depth) {
        if (depth > MAX_EXPANSION_DEPTH) {
            throw new IllegalStateException("the grammar is left-recursive");
        }
        while (true) {
            int e = code[pos];
            if (e == END) {
                if (rest == null) {
                    addDistinct(out, Stack.ACCEPT);
                    return;
                }
                pos = rest.pos;
                rest = rest.next;
            } else if ((e & TAG_MASK) == TAG_REF) {
                // A reference in tail position needs no frame to come back to: repetition stays flat.
                Stack cont = code[pos + 1] == END ? rest : new Stack(pos + 1, rest);
                for (int alt : alternatives[e & ~TAG_MASK]) {
                    expand(alt, cont, out, depth + 1);
                }
                return;
            } else {
                addDistinct(out, new Stack(pos, rest));
                return;
            }
        }
    }

    private static void addDistinct(List<Stack> out, Stack s) {
        for (Stack o : out) {
            if (o.equals(s)) {
                return;
            }
        }
        out.add(s);
    }

    /** One parse in progress: positions still to process, innermost first. Immutable and shared between states. */
    static final class Stack {
        static final Stack ACCEPT = new Stack(-1, null);

        final int pos;
        final Stack next;
        private final int hash;
        private final int depth;

        Stack(int pos, Stack next) {
            this.pos = pos;
            this.next = next;
            this.hash = pos * 31 + (next == null ? 0 : next.hash * 17);
            this.depth = next == null ? 1 : next.depth + 1;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            Stack a = this;
            Stack b = (Stack) o;
            while (a != b) {
                if (a == null || b == null || a.hash != b.hash || a.pos != b.pos || a.depth != b.depth) {
                    return false;
                }
                a = a.next;
                b = b.next;
            }
            return true;
        }
    }

    /** Turns grammar nodes into rules; equal closed sub-grammars share one rule. */
    private static final class Builder {
        final List<long[]> sets = new ArrayList<>();
        final Map<BitsKey, Integer> setIndex = new HashMap<>();
        final List<int[]> alts = new ArrayList<>();
        final List<Integer> codeList = new ArrayList<>();
        final Map<Grammar, Integer> closedRules = new HashMap<>();
        final Map<Grammar, Integer> recRules = new IdentityHashMap<>();

        int[] code() {
            int[] c = new int[codeList.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = codeList.get(i);
            }
            return c;
        }

        /** The rule id of {@code g} under {@code env} (the rule ids of the enclosing recursions by name). */
        int rule(Grammar g, Map<String, Integer> env) {
            boolean closed = g.free.isEmpty();
            if (closed) {
                Integer known = closedRules.get(g);
                if (known != null) {
                    return known;
                }
            }
            int id = alts.size();
            alts.add(null);
            if (closed) {
                closedRules.put(g, id);
            }
            Map<String, Integer> inner = env;
            Grammar body = g;
            if (g instanceof Grammar.Rec r) {
                inner = new HashMap<>(env);
                inner.put(r.name, id);
                body = r.body;
            }
            List<List<Integer>> options = new ArrayList<>();
            if (body instanceof Grammar.Choice c) {
                for (Grammar o : c.options) {
                    List<Integer> elems = new ArrayList<>();
                    elements(o, inner, elems);
                    options.add(elems);
                }
            } else if (body instanceof Grammar.Repeat rep) {
                options.addAll(repeatOptions(rep, inner, id));
            } else {
                List<Integer> elems = new ArrayList<>();
                elements(body, inner, elems);
                options.add(elems);
            }
            setRule(id, options);
            return id;
        }

        /**
         * part{min,max} as alternatives of rule {@code id}: part x min then the optional rest. The optional rest is
         * a chain of rules R(k) = part R(k-1) | empty (or R = part R | empty when unbounded), tail-recursive so that
         * stacks never grow with the count.
         */
        private List<List<Integer>> repeatOptions(Grammar.Repeat rep, Map<String, Integer> env, int id) {
            List<Integer> elems = new ArrayList<>();
            int partRule = -1;
            for (int i = 0; i < rep.min; i++) {
                if (partRule < 0) {
                    partRule = partElements(rep.part, env, elems);
                } else {
                    appendPart(rep.part, partRule, env, elems);
                }
            }
            if (rep.max < 0) {
                int star = newRule();
                List<Integer> loop = new ArrayList<>();
                partElements(rep.part, env, loop);
                loop.add(TAG_REF | star);
                setRule(star, List.of(loop, List.of()));
                elems.add(TAG_REF | star);
            } else if (rep.max > rep.min) {
                int prev = -1;
                for (int k = 1; k <= rep.max - rep.min; k++) {
                    int r = newRule();
                    List<Integer> more = new ArrayList<>();
                    partElements(rep.part, env, more);
                    if (prev >= 0) {
                        more.add(TAG_REF | prev);
                    }
                    setRule(r, List.of(more, List.of()));
                    prev = r;
                }
                elems.add(TAG_REF | prev);
            }
            return List.of(elems);
        }

        /** Appends one copy of {@code part}; returns its rule id when it became a reference (to reuse), else -1. */
        private int partElements(Grammar part, Map<String, Integer> env, List<Integer> out) {
            int before = out.size();
            elements(part, env, out);
            return out.size() == before + 1 && (out.get(before) & TAG_MASK) == TAG_REF ? out.get(before) & ~TAG_MASK : -1;
        }

        private void appendPart(Grammar part, int partRule, Map<String, Integer> env, List<Integer> out) {
            if (partRule >= 0) {
                out.add(TAG_REF | partRule);
            } else {
                elements(part, env, out);
            }
        }

        private int newRule() {
            alts.add(null);
            return alts.size() - 1;
        }

        private void setRule(int id, List<List<Integer>> options) {
            int[] starts = new int[options.size()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = codeList.size();
                codeList.addAll(options.get(i));
                codeList.add(END);
            }
            alts.set(id, starts);
        }

        /** Appends the elements that match {@code g} inline (a sequence's parts, literal bytes) or a rule reference. */
        private void elements(Grammar g, Map<String, Integer> env, List<Integer> out) {
            switch (g) {
                case Grammar.Bytes b -> {
                    for (byte x : b.bytes) {
                        long[] bits = new long[4];
                        bits[(x & 0xFF) >> 6] |= 1L << (x & 63);
                        out.add(TAG_SET | set(bits));
                    }
                }
                case Grammar.ByteSet s -> out.add(TAG_SET | set(s.bits));
                case Grammar.Seq s -> {
                    for (Grammar p : s.parts) {
                        elements(p, env, out);
                    }
                }
                case Grammar.Self s -> {
                    Integer id = env.get(s.name);
                    if (id == null) {
                        throw new IllegalArgumentException("self(\"" + s.name + "\") outside a recursive grammar of that name");
                    }
                    out.add(TAG_REF | id);
                }
                default -> out.add(TAG_REF | rule(g, env));
            }
        }

        private int set(long[] bits) {
            return setIndex.computeIfAbsent(new BitsKey(bits), k -> {
                sets.add(bits);
                return sets.size() - 1;
            });
        }
    }

    private record BitsKey(long a, long b, long c, long d) {
        BitsKey(long[] bits) {
            this(bits[0], bits[1], bits[2], bits[3]);
        }
    }
}
