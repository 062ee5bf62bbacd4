package dev.cairn.chat;

import dev.cairn.grammar.TokenConstraint;

/**
 * Everything needed to run one chat turn: the prompt text (template applied, tools described), the constraint on the
 * output (null when free), and the parser that reads the output back.
 *
 * @param startsInReasoning the prompt ends inside an opened thinking block (the answer starts as thinking)
 */
public record TurnPlan(String prompt, TokenConstraint constraint, AssistantParser parser, boolean startsInReasoning) {
}
