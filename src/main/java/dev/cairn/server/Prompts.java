package dev.cairn.server;

import dev.cairn.chat.AssistantEvent;
import dev.cairn.chat.AssistantParser;
import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.TemplateException;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.TurnPlan;
import dev.cairn.chat.TurnRequest;
import dev.cairn.engine.ModelBundle;
import dev.cairn.grammar.SchemaException;
import dev.cairn.grammar.TokenConstraint;
import dev.cairn.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a parsed request into what the engine runs and how its output is read back: the prompt token ids (chat
 * template, tools described, for conversations; plain text or ids otherwise), the output constraint and the parser.
 */
final class Prompts {
    private Prompts() {
    }

    /** @param constraint null for free generation */
    record Prepared(int[] tokens, TokenConstraint constraint, AssistantParser parser) {
    }

    static Prepared prepare(ApiRequest req, ModelBundle bundle, TurnPlanner planner) {
        Tokenizer tokenizer = bundle.tokenizer();
        if (req.promptIds() != null) {
            int vocab = tokenizer.vocabSize();
            for (int id : req.promptIds()) {
                if (id >= vocab) {
                    throw ApiException.badParam("prompt", "'prompt' holds token id " + id
                            + " but the vocabulary has " + vocab + " tokens");
                }
            }
            return new Prepared(req.promptIds(), null, new PlainText());
        }
        if (req.turn() == null) {
            return new Prepared(tokenize(req.promptText(), tokenizer), null, new PlainText());
        }
        Rendered rendered = render(req.turn(), bundle, planner);
        int[] tokens = tokenize(rendered.text(), tokenizer);
        TurnPlan plan = rendered.plan();
        return plan == null ? new Prepared(tokens, null, new PlainText())
                : new Prepared(tokens, plan.constraint(), plan.parser());
    }

    /** A chat turn's prompt text, with the chat layer's plan when the turn went through it (else null). */
    record Rendered(String text, TurnPlan plan) {
    }

    static Rendered render(TurnRequest turn, ModelBundle bundle, TurnPlanner planner) {
        ChatTemplate template = bundle.template();
        if (template == null) {
            throw ApiException.badRequest("the model has no chat template; use /v1/completions with a raw prompt");
        }
        try {
            if (!usesPlanner(turn)) {
                return new Rendered(template.render(turn.messages(), true, turn.templateArgs())
                        + turn.assistantPrefill(), null);
            }
            TurnPlan plan = planner.plan(turn, template, bundle.tokenizer());
            return new Rendered(plan.prompt(), plan);
        } catch (TemplateException e) {
            throw ApiException.badRequest("chat template error: " + e.getMessage());
        } catch (SchemaException e) {
            throw ApiException.badParam(e.keyword(), "the JSON schema cannot be enforced: " + e.getMessage());
        }
    }

    /** Turns with tools, a response format or tool history go through the chat layer's planner. */
    private static boolean usesPlanner(TurnRequest turn) {
        return turn.responseFormat() != null || turn.toolChoice().mode() != ToolChoice.Mode.NONE
                || !turn.tools().isEmpty()
                || turn.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty() || m.role().equals("tool"));
    }

    static int[] tokenize(String text, Tokenizer tokenizer) {
        int[] ids = tokenizer.encode(text, true, true);
        // Templates usually write the BOS text themselves and the tokenizer adds one too: keep a single BOS.
        int bos = tokenizer.bosId();
        if (ids.length >= 2 && bos >= 0 && ids[0] == bos && ids[1] == bos) {
            ids = Arrays.copyOfRange(ids, 1, ids.length);
        }
        if (ids.length == 0) {
            throw ApiException.badRequest("the prompt is empty after tokenization");
        }
        return ids;
    }

    /** Output read as plain text: raw completions, and chat turns without tools. */
    static final class PlainText implements AssistantParser {
        @Override
        public List<AssistantEvent> push(String text) {
            return text.isEmpty() ? List.of() : List.of(new AssistantEvent.Text(text));
        }

        @Override
        public List<AssistantEvent> finish(boolean truncated) {
            return List.of();
        }
    }
}
