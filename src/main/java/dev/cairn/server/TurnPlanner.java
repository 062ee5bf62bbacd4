package dev.cairn.server;

import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.TurnPlan;
import dev.cairn.chat.TurnRequest;
import dev.cairn.tokenizer.Tokenizer;

/** Plans a chat turn: {@link dev.cairn.chat.ChatTurns#plan} in the server; tests may put a known output format here. */
@FunctionalInterface
interface TurnPlanner {
    TurnPlan plan(TurnRequest request, ChatTemplate template, Tokenizer tokenizer);
}
