package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, checked access to the fields of a request object. Every failure is a 400 naming the field and what was
 * expected. A field set to JSON null counts as absent (as OpenAI's API treats it).
 */
final class Fields {
    private final ObjectNode obj;
    private final String prefix;

    Fields(ObjectNode obj) {
        this(obj, "");
    }

    Fields(ObjectNode obj, String prefix) {
        this.obj = obj;
        this.prefix = prefix;
    }

    String name(String field) {
        return prefix + field;
    }

    boolean has(String field) {
        JsonNode n = obj.get(field);
        return n != null && !n.isNull();
    }

    JsonNode node(String field) {
        JsonNode n = obj.get(field);
        return n == null || n.isNull() ? null : n;
    }

    JsonNode require(String field) {
        JsonNode n = node(field);
        if (n == null) {
            throw ApiException.badParam(name(field), "'" + name(field) + "' is required");
        }
        return n;
    }

    String string(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(field, "a string", n);
        }
        return n.textValue();
    }

    String requireString(String field) {
        require(field);
        return string(field);
    }

    Boolean bool(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw wrongType(field, "a boolean", n);
        }
        return n.booleanValue();
    }

    boolean bool(String field, boolean dflt) {
        Boolean b = bool(field);
        return b == null ? dflt : b;
    }

    Long integer(String field, long min, long max) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw wrongType(field, "an integer", n);
        }
        if (!n.canConvertToLong()) {
            throw ApiException.badParam(name(field), "'" + name(field) + "' is out of range");
        }
        long v = n.asLong();
        if (v < min) {
            throw ApiException.badParam(name(field), "'" + name(field) + "' must be at least " + min + ", got " + v);
        }
        if (v > max) {
            throw ApiException.badParam(name(field), "'" + name(field) + "' must be at most " + max + ", got " + v);
        }
        return v;
    }

    Double number(String field, double min, double max) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isNumber()) {
            throw wrongType(field, "a number", n);
        }
        double v = n.asDouble();
        if (!(v >= min && v <= max)) {
            throw ApiException.badParam(name(field),
                    "'" + name(field) + "' must be between " + fmt(min) + " and " + fmt(max) + ", got " + n.asText());
        }
        return v;
    }

    ObjectNode object(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw wrongType(field, "an object", n);
        }
        return (ObjectNode) n;
    }

    /** A string or an array of strings (OpenAI's "stop"); null when absent. */
    List<String> stringOrStrings(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.textValue());
        }
        if (n.isArray()) {
            return strings(field, n);
        }
        throw wrongType(field, "a string or an array of strings", n);
    }

    List<String> stringArray(String field) {
        JsonNode n = node(field);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrongType(field, "an array of strings", n);
        }
        return strings(field, n);
    }

    /** For features this server lacks: the field may be absent or an empty array; anything in it is a 400 "'field' unsupported". */
    void emptyArrayOnly(String field, String unsupported) {
        JsonNode n = node(field);
        if (n == null) {
            return;
        }
        if (!n.isArray()) {
            throw wrongType(field, "an array", n);
        }
        if (!n.isEmpty()) {
            throw ApiException.badParam(name(field), "'" + name(field) + "' " + unsupported);
        }
    }

    private List<String> strings(String field, JsonNode array) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            if (!e.isTextual()) {
                throw ApiException.badParam(name(field),
                        "'" + name(field) + "[" + i + "]' must be a string, got " + kind(e));
            }
            if (!e.textValue().isEmpty()) {
                out.add(e.textValue());
            }
        }
        return out;
    }

    /** A required object field, as Fields named "prefix.field.". */
    Fields requireObject(String field) {
        require(field);
        return new Fields(object(field), name(field) + ".");
    }

    /** {@code node} (named {@code where}) as an object whose fields are named "where.field"; anything else is a 400. */
    static Fields of(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw ApiException.badParam(where, "'" + where + "' must be an object, got " + kind(node));
        }
        return new Fields((ObjectNode) node, where + ".");
    }

    /** An array of objects (absent: none), each named by {@code elementName} (each API writes indexes its own way). */
    List<Fields> objects(String field, java.util.function.IntFunction<String> elementName) {
        JsonNode n = node(field);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw wrongType(field, "an array", n);
        }
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(of(n.get(i), elementName.apply(i)));
        }
        return out;
    }

    /** The name of this object's field, as error messages write it (without the trailing "."). */
    String where() {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    ApiException wrongType(String field, String expected, JsonNode got) {
        return ApiException.badParam(name(field), "'" + name(field) + "' must be " + expected + ", got " + kind(got));
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isArray()) {
            return "an array";
        }
        return n.isObject() ? "an object" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
