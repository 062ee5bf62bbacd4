package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.ModelBundle;
import dev.cairn.tokenizer.Tokenizer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Token counting and the template without generating: Anthropic's POST /v1/messages/count_tokens and llama.cpp's
 * POST /tokenize, /detokenize and /apply-template, in those servers' request and response shapes.
 */
final class TokenEndpoints {
    private final ModelBundle bundle;
    private final TurnPlanner planner;

    TokenEndpoints(ModelBundle bundle, TurnPlanner planner) {
        this.bundle = bundle;
        this.planner = planner;
    }

    /** {"input_tokens": N}: the prompt a Messages request with this body would run (it needs no max_tokens). */
    ObjectNode countTokens(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        copy.put("max_tokens", 1); // required by the Messages parser, meaningless for a count
        copy.remove("stream");
        ApiRequest request = AnthropicRequests.messages(copy, null);
        int[] tokens = Prompts.prepare(request, bundle, planner).tokens();
        return Json.object().put("input_tokens", tokens.length);
    }

    /**
     * llama.cpp: {"content", "add_special" (false), "parse_special" (true), "with_pieces" (false)} to {"tokens": [id…]}
     * or, with pieces, {"tokens": [{"id", "piece"}…]} where a piece that is not whole UTF-8 is its byte values.
     */
    ObjectNode tokenize(ObjectNode body) {
        Fields f = new Fields(body);
        JsonNode content = f.require("content");
        if (!content.isTextual()) {
            throw f.wrongType("content", "a string", content);
        }
        Tokenizer tokenizer = bundle.tokenizer();
        int[] ids = tokenizer.encode(content.textValue(), f.bool("add_special", false), f.bool("parse_special", true));
        boolean withPieces = f.bool("with_pieces", false);
        ObjectNode out = Json.object();
        ArrayNode tokens = out.putArray("tokens");
        for (int id : ids) {
            if (!withPieces) {
                tokens.add(id);
                continue;
            }
            ObjectNode t = tokens.addObject().put("id", id);
            byte[] bytes = tokenizer.tokenBytes(id);
            String text = utf8(bytes);
            if (text != null) {
                t.put("piece", text);
            } else {
                ArrayNode raw = t.putArray("piece");
                for (byte b : bytes) {
                    raw.add(b & 0xff);
                }
            }
        }
        return out;
    }

    /** llama.cpp: {"tokens": [id…]} to {"content": text}. */
    ObjectNode detokenize(ObjectNode body) {
        Fields f = new Fields(body);
        JsonNode list = f.node("tokens");
        int[] ids = new int[list == null ? 0 : list.size()];
        if (list != null && !list.isArray()) {
            throw f.wrongType("tokens", "an array of token ids", list);
        }
        int vocab = bundle.tokenizer().vocabSize();
        for (int i = 0; i < ids.length; i++) {
            JsonNode e = list.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 0 || e.intValue() >= vocab) {
                throw ApiException.badParam("tokens", "'tokens[" + i + "]' must be a token id from 0 to " + (vocab - 1)
                        + ", got " + (e.isNumber() ? e.asText() : Fields.kind(e)));
            }
            ids[i] = e.intValue();
        }
        return Json.object().put("content", bundle.tokenizer().decode(ids));
    }

    /** llama.cpp: a chat-completions body to {"prompt": the text the template makes of it}. */
    ObjectNode applyTemplate(ObjectNode body) {
        ApiRequest request = OpenAiRequests.chat(body, null);
        return Json.object().put("prompt", Prompts.render(request.turn(), bundle, planner).text());
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
