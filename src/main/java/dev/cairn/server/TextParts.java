package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.IntFunction;

/** Message content given as an array of {"type": "text", "text": ...} parts, as both the OpenAI and Anthropic APIs allow. */
final class TextParts {
    private TextParts() {}

    /**
     * The texts of the parts joined with newlines. Any other part type is a 400 ending in {@code onlyText}
     * (each API words it its own way), naming the part by {@code partName} (each API writes its paths its own way).
     */
    static String join(JsonNode parts, IntFunction<String> partName, String onlyText) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < parts.size(); j++) {
            String where = partName.apply(j);
            Fields p = Fields.of(parts.get(j), where);
            String type = p.requireString("type");
            if (!type.equals("text")) {
                throw ApiException.badParam(where + ".type", "'" + where + ".type' \"" + type
                        + "\" is not supported; " + onlyText);
            }
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(p.requireString("text"));
        }
        return sb.toString();
    }
}
