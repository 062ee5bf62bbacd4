package dev.cairn.server;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.chat.AssistantEvent;
import dev.cairn.chat.AssistantParser;
import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.TurnPlan;
import dev.cairn.chat.TurnRequest;
import dev.cairn.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A known output format for server tests, independent of any model family: the prompt is the template's plain
 * rendering; the model's first piece of text is read as thinking, and when a tool may be called, the next
 * {@link #ARGUMENT_PIECES} pieces as one call to the named (or first) tool with arguments {"text": those pieces}; the
 * rest is text, or dropped after a call. Random-weight models write gibberish, so this is what makes their output
 * hold thinking and calls. It keeps the raw pieces of its last parser so tests can pick a stop string among them.
 */
final class StandInPlanner implements TurnPlanner {
    static final int ARGUMENT_PIECES = 3;
    static final String CALL_ID = "call_standin";
    private volatile Parser last;

    @Override
    public TurnPlan plan(TurnRequest request, ChatTemplate template, Tokenizer tokenizer) {
        String prompt = template.render(request.messages(), true, request.templateArgs()) + request.assistantPrefill();
        String tool = null;
        ToolChoice choice = request.toolChoice();
        if (choice.mode() == ToolChoice.Mode.NAMED) {
            tool = choice.name();
        } else if (choice.mode() != ToolChoice.Mode.NONE && !request.tools().isEmpty()) {
            tool = request.tools().getFirst().name();
        }
        last = new Parser(tool);
        return new TurnPlan(prompt, null, last, false);
    }

    /** The pieces the last request's model wrote, in order. */
    List<String> lastPieces() {
        return List.copyOf(last.pieces);
    }

    static final class Parser implements AssistantParser {
        private final String tool;
        final List<String> pieces = new ArrayList<>();
        private final StringBuilder callText = new StringBuilder();
        private int argumentPieces = -1;

        Parser(String tool) {
            this.tool = tool;
        }

        @Override
        public List<AssistantEvent> push(String text) {
            pieces.add(text);
            if (pieces.size() == 1) {
                return List.of(new AssistantEvent.Reasoning(text));
            }
            if (tool == null) {
                return List.of(new AssistantEvent.Text(text));
            }
            List<AssistantEvent> out = new ArrayList<>();
            if (argumentPieces < 0) {
                argumentPieces = 0;
                out.add(new AssistantEvent.ToolCallStart(0, CALL_ID, tool));
                out.add(new AssistantEvent.ToolCallArguments(0, "{\"text\": \""));
            }
            if (argumentPieces < ARGUMENT_PIECES) {
                argumentPieces++;
                callText.append(text);
                String quoted = new TextNode(text).toString();
                out.add(new AssistantEvent.ToolCallArguments(0, quoted.substring(1, quoted.length() - 1)));
                if (argumentPieces == ARGUMENT_PIECES) {
                    out.add(new AssistantEvent.ToolCallArguments(0, "\"}"));
                    out.add(new AssistantEvent.ToolCallEnd(0));
                }
            }
            return out;
        }

        /** A call cut short by the length limit is not a call: its text comes back as text. */
        @Override
        public List<AssistantEvent> finish(boolean truncated) {
            if (argumentPieces >= 0 && argumentPieces < ARGUMENT_PIECES) {
                if (truncated) {
                    return List.of(new AssistantEvent.Text(callText.toString()));
                }
                return List.of(new AssistantEvent.ToolCallArguments(0, "\"}"), new AssistantEvent.ToolCallEnd(0));
            }
            return List.of();
        }
    }
}
