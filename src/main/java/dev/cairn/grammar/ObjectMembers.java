package dev.cairn.grammar;

import static dev.cairn.grammar.Grammar.choice;
import static dev.cairn.grammar.Grammar.literal;
import static dev.cairn.grammar.Grammar.optional;
import static dev.cairn.grammar.Grammar.repeat;
import static dev.cairn.grammar.Grammar.sequence;
import static dev.cairn.grammar.JsonGrammars.WS;

import dev.cairn.grammar.SchemaGrammar.Member;
import java.util.ArrayList;
import java.util.List;

/**
 * An object's members in a fixed order where optional ones may be missing: commas go between the members present.
 * Built as two chains, "after some member" (each member preceded by a comma) and "before any member" (the first
 * one present has no comma), so the grammar grows linearly with the number of members, not with their subsets.
 */
final class ObjectMembers {
    private ObjectMembers() {
    }

    static Grammar object(List<Member> members) {
        if (members.isEmpty()) {
            return sequence(literal("{"), WS, literal("}"));
        }
        Grammar sep = sequence(WS, literal(","), WS);
        int n = members.size();
        // after[i]: members i.. when one came before.
        Grammar[] after = new Grammar[n + 1];
        after[n] = Grammar.empty();
        for (int i = n - 1; i >= 0; i--) {
            Member m = members.get(i);
            Grammar withComma = sequence(sep, m.keyValue());
            Grammar mine = m.repeated() ? repeat(withComma, 0, -1) : m.required() ? withComma : optional(withComma);
            after[i] = sequence(mine, after[i + 1]);
        }
        // first[i]: members i.. when none came before, at least one present.
        Grammar first = null;
        for (int i = n - 1; i >= 0; i--) {
            Member m = members.get(i);
            Grammar here = m.repeated() ? sequence(m.keyValue(), repeat(sequence(sep, m.keyValue()), 0, -1), after[i + 1])
                    : sequence(m.keyValue(), after[i + 1]);
            if (m.required() || first == null) {
                first = here;
            } else {
                first = choice(here, first);
            }
        }
        boolean anyRequired = members.stream().anyMatch(Member::required);
        Grammar body = sequence(first, WS);
        return sequence(literal("{"), WS, anyRequired ? body : optional(body), literal("}"));
    }
}
