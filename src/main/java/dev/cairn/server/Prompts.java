package dev.cairn.server;

import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.TemplateException;
import dev.cairn.engine.ModelBundle;
import dev.cairn.tokenizer.Tokenizer;
import java.util.Arrays;

/** Turns a parsed request into prompt token ids: chat template for conversations, plain text or ids otherwise. */
final class Prompts {
    private Prompts() {
    }

    static int[] tokens(ApiRequest req, ModelBundle bundle) {
        Tokenizer tokenizer = bundle.tokenizer();
        if (req.promptIds() != null) {
            int vocab = tokenizer.vocabSize();
            for (int id : req.promptIds()) {
                if (id >= vocab) {
                    throw ApiException.badParam("prompt", "'prompt' holds token id " + id
                            + " but the vocabulary has " + vocab + " tokens");
                }
            }
            return req.promptIds();
        }
        String text;
        if (req.messages() != null) {
            ChatTemplate template = bundle.template();
            if (template == null) {
                throw ApiException.badRequest("the model has no chat template; use /v1/completions with a raw prompt");
            }
            try {
                text = template.render(req.messages(), true, req.templateArgs()) + req.assistantPrefill();
            } catch (TemplateException e) {
                throw ApiException.badRequest("chat template error: " + e.getMessage());
            }
        } else {
            text = req.promptText();
        }
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
}
