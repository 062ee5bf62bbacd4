package dev.cairn.server;

import dev.cairn.chat.AssistantEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole answer gathered from its parsed events, for the non-streaming responses: text, thinking and tool calls as
 * blocks in the order the model wrote them (consecutive pieces of one kind join into one block). A call the
 * generation never completed (it hit the length limit inside it) is not part of the answer: the parser hands its
 * text back as text.
 */
final class Answer {
    sealed interface Block permits TextBlock, ReasoningBlock, Call {
    }

    record TextBlock(StringBuilder text) implements Block {
    }

    record ReasoningBlock(StringBuilder text) implements Block {
    }

    static final class Call implements Block {
        final int index;
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();
        boolean complete;

        Call(int index, String id, String name) {
            this.index = index;
            this.id = id;
            this.name = name;
        }
    }

    private final List<Block> blocks = new ArrayList<>();

    void addAll(List<AssistantEvent> events) {
        for (AssistantEvent e : events) {
            add(e);
        }
    }

    void add(AssistantEvent event) {
        switch (event) {
            case AssistantEvent.Text t -> {
                if (blocks.isEmpty() || !(blocks.getLast() instanceof TextBlock)) {
                    blocks.add(new TextBlock(new StringBuilder()));
                }
                ((TextBlock) blocks.getLast()).text().append(t.text());
            }
            case AssistantEvent.Reasoning r -> {
                if (blocks.isEmpty() || !(blocks.getLast() instanceof ReasoningBlock)) {
                    blocks.add(new ReasoningBlock(new StringBuilder()));
                }
                ((ReasoningBlock) blocks.getLast()).text().append(r.text());
            }
            case AssistantEvent.ToolCallStart s -> blocks.add(new Call(s.index(), s.id(), s.name()));
            case AssistantEvent.ToolCallArguments a -> call(a.index()).arguments.append(a.fragment());
            case AssistantEvent.ToolCallEnd e -> call(e.index()).complete = true;
        }
    }

    private Call call(int index) {
        for (Block b : blocks) {
            if (b instanceof Call c && c.index == index) {
                return c;
            }
        }
        throw new IllegalStateException("the parser continued call " + index + " before starting it");
    }

    /** Text, thinking and complete calls, in order. */
    List<Block> blocks() {
        return blocks.stream().filter(b -> !(b instanceof Call c) || c.complete).toList();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        blocks.forEach(b -> sb.append(b instanceof TextBlock t ? t.text() : ""));
        return sb.toString();
    }

    String reasoning() {
        StringBuilder sb = new StringBuilder();
        blocks.forEach(b -> sb.append(b instanceof ReasoningBlock r ? r.text() : ""));
        return sb.toString();
    }

    List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        for (Block b : blocks()) {
            if (b instanceof Call c) {
                calls.add(c);
            }
        }
        return calls;
    }
}
