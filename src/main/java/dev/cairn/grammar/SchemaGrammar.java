package dev.cairn.grammar;

import static dev.cairn.grammar.Grammar.choice;
import static dev.cairn.grammar.Grammar.literal;
import static dev.cairn.grammar.Grammar.optional;
import static dev.cairn.grammar.Grammar.repeat;
import static dev.cairn.grammar.Grammar.sequence;
import static dev.cairn.grammar.JsonGrammars.WS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON schema as a grammar, for the keywords tool definitions use. Choices where a schema leaves freedom:
 * <ul>
 * <li>Object members come in the order of {@code properties}; optional ones may be left out. Without
 * {@code additionalProperties}, an object with {@code properties} allows no other members (as llama.cpp does);
 * one without {@code properties} allows any. Extra members come after the declared ones, with keys that are not
 * declared and hold no escapes (so that a key can never turn out to equal a declared one once decoded).</li>
 * <li>{@code oneOf} is treated as {@code anyOf}: the output satisfies one branch, not necessarily only one.</li>
 * <li>{@code allOf} is merged into one schema (properties, required, types intersected); conflicting values of
 * other keywords are refused.</li>
 * <li>Number bounds are exact when they are integers; other bounds are rounded inwards (a sound subset).</li>
 * <li>Free numbers, strings and whitespace are bounded in length ({@link JsonGrammars}), so a model cannot run on.</li>
 * <li>Formats date, time, date-time (RFC 3339; February stops at the 28th) and uuid; other formats, {@code pattern}
 * and every keyword not listed here are unsupported: strict schemas are refused naming the keyword, lenient ones
 * ignore it.</li>
 * </ul>
 */
final class SchemaGrammar {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LENGTH_BOUND = 10_000;

    /** Keywords that only describe: ignored everywhere. */
    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "default", "examples", "$schema",
            "$id", "$comment", "deprecated", "readOnly", "writeOnly", "$defs", "definitions", "contentMediaType",
            "contentEncoding", "example");
    private static final Set<String> SUPPORTED = Set.of("type", "nullable", "properties", "required",
            "additionalProperties", "enum", "const", "items", "prefixItems", "additionalItems", "minItems", "maxItems",
            "anyOf", "oneOf", "allOf", "minLength", "maxLength", "format", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "$ref", "uniqueItems");
    private static final List<String> TYPES = List.of("object", "array", "string", "number", "integer", "boolean",
            "null");
    private static final Set<String> FORMATS = Set.of("date", "time", "date-time", "uuid");

    private final JsonNode root;
    private final boolean strict;
    private final Deque<String> expanding = new ArrayDeque<>();
    private final Set<String> recursed = new HashSet<>();
    private final Map<String, Grammar> closedRefs = new HashMap<>();

    SchemaGrammar(JsonNode root, boolean strict) {
        if (root == null) {
            throw new SchemaException(null, "no schema");
        }
        this.root = root;
        this.strict = strict;
    }

    Grammar root() {
        return value(root);
    }

    private Grammar value(JsonNode s) {
        if (s.isBoolean()) {
            if (!s.booleanValue()) {
                throw new SchemaException(null, "the schema false allows no value");
            }
            return JsonGrammars.VALUE;
        }
        if (!s.isObject()) {
            throw new SchemaException(null, "a schema must be an object or a boolean, got " + s.getNodeType());
        }
        checkKeywords(s);
        if (s.has("$ref")) {
            return ref(s);
        }
        if (s.has("allOf")) {
            return value(mergeAllOf(s));
        }
        if (s.has("const")) {
            return literal(json(s.get("const")));
        }
        if (s.has("enum")) {
            JsonNode e = s.get("enum");
            if (!e.isArray() || e.isEmpty()) {
                throw new SchemaException("enum", "'enum' must be a non-empty array");
            }
            List<Grammar> options = new ArrayList<>();
            for (JsonNode v : e) {
                options.add(literal(json(v)));
            }
            return choice(options);
        }
        for (String key : List.of("anyOf", "oneOf")) {
            if (s.has(key)) {
                return branches(s, key);
            }
        }
        Set<String> types = types(s);
        List<Grammar> options = new ArrayList<>();
        for (String t : TYPES) {
            if (types.contains(t)) {
                options.add(typed(t, s));
            }
        }
        return choice(options);
    }

    private void checkKeywords(JsonNode s) {
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (ANNOTATIONS.contains(k)) {
                continue;
            }
            if (!SUPPORTED.contains(k)) {
                unsupported(k, "the JSON schema keyword '" + k + "' is not supported");
            } else if (k.equals("uniqueItems") && s.get(k).asBoolean(false)) {
                unsupported(k, "the JSON schema keyword 'uniqueItems' is not supported");
            } else if (k.equals("format") && !FORMATS.contains(s.get(k).asText())) {
                unsupported(k, "the string format '" + s.get(k).asText() + "' is not supported (date, time, date-time"
                        + " and uuid are)");
            }
        }
        if (s.has("$ref")) {
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("$ref") && !ANNOTATIONS.contains(k)) {
                    unsupported("$ref", "keywords beside '$ref' ('" + k + "') are not supported");
                }
            }
        }
    }

    private void unsupported(String keyword, String message) {
        if (strict) {
            throw new SchemaException(keyword, message);
        }
    }

    /** {@code anyOf}/{@code oneOf}: one option per branch, each with the keywords beside the list merged in. */
    private Grammar branches(JsonNode s, String key) {
        JsonNode list = s.get(key);
        if (!list.isArray() || list.isEmpty()) {
            throw new SchemaException(key, "'" + key + "' must be a non-empty array");
        }
        ObjectNode siblings = ((ObjectNode) s).deepCopy();
        siblings.remove(key);
        boolean alone = siblings.properties().stream().allMatch(e -> ANNOTATIONS.contains(e.getKey()));
        List<Grammar> options = new ArrayList<>();
        for (JsonNode branch : list) {
            options.add(value(alone ? branch : merge(siblings, resolve(branch), key)));
        }
        return choice(options);
    }

    private JsonNode mergeAllOf(JsonNode s) {
        JsonNode list = s.get("allOf");
        if (!list.isArray() || list.isEmpty()) {
            throw new SchemaException("allOf", "'allOf' must be a non-empty array");
        }
        ObjectNode merged = ((ObjectNode) s).deepCopy();
        merged.remove("allOf");
        for (JsonNode part : list) {
            merged = merge(merged, resolve(part), "allOf");
        }
        return merged;
    }

    /** A schema behind any chain of {@code $ref}s (for merging, which needs the keywords themselves). */
    private JsonNode resolve(JsonNode s) {
        for (int i = 0; i < 64 && s.isObject() && s.has("$ref"); i++) {
            s = target(s.get("$ref").asText());
        }
        if (s.isBoolean() && s.booleanValue()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!s.isObject()) {
            throw new SchemaException("allOf", "cannot combine the schema " + s);
        }
        return s;
    }

    /** The schema satisfying both {@code a} and {@code b}, for the keywords that combine simply. */
    private ObjectNode merge(ObjectNode a, JsonNode b, String keyword) {
        ObjectNode out = a.deepCopy();
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            String k = e.getKey();
            JsonNode v = e.getValue();
            JsonNode mine = out.get(k);
            if (mine == null || ANNOTATIONS.contains(k)) {
                out.set(k, v);
            } else if (k.equals("properties")) {
                ObjectNode props = ((ObjectNode) mine).deepCopy();
                for (Map.Entry<String, JsonNode> p : v.properties()) {
                    JsonNode existing = props.get(p.getKey());
                    props.set(p.getKey(), existing == null ? p.getValue()
                            : merge(resolve(existing).deepCopy(), resolve(p.getValue()), keyword));
                }
                out.set(k, props);
            } else if (k.equals("required")) {
                Set<String> names = new LinkedHashSet<>();
                mine.forEach(n -> names.add(n.asText()));
                v.forEach(n -> names.add(n.asText()));
                ArrayNode arr = out.putArray(k);
                names.forEach(arr::add);
            } else if (k.equals("type")) {
                Set<String> t = typeNames(mine);
                t.retainAll(typeNames(v));
                if (t.isEmpty()) {
                    throw new SchemaException(keyword, "the '" + keyword + "' branches have no type in common");
                }
                ArrayNode arr = out.putArray(k);
                t.forEach(arr::add);
            } else if (!mine.equals(v)) {
                throw new SchemaException(keyword, "cannot combine differing '" + k + "' in '" + keyword + "'");
            }
        }
        return out;
    }

    private Grammar ref(JsonNode s) {
        String ref = s.get("$ref").asText();
        Grammar known = closedRefs.get(ref);
        if (known != null) {
            return known;
        }
        if (expanding.contains(ref)) {
            recursed.add(ref);
            return Grammar.self(ref);
        }
        JsonNode target = target(ref);
        expanding.push(ref);
        Grammar g;
        try {
            g = value(target);
        } finally {
            expanding.pop();
        }
        if (recursed.remove(ref)) {
            g = Grammar.recursive(ref, g);
        }
        if (g.free.isEmpty()) {
            closedRefs.put(ref, g);
        }
        return g;
    }

    private JsonNode target(String ref) {
        if (!ref.equals("#") && !ref.startsWith("#/")) {
            throw new SchemaException("$ref", "only references within the schema ('#/...') are supported, not '" + ref
                    + "'");
        }
        JsonNode t = root.at(ref.substring(1));
        if (t.isMissingNode()) {
            throw new SchemaException("$ref", "the reference '" + ref + "' points to nothing in the schema");
        }
        return t;
    }

    private Set<String> types(JsonNode s) {
        Set<String> types;
        if (s.has("type")) {
            types = typeNames(s.get("type"));
        } else {
            types = new LinkedHashSet<>();
            if (s.has("properties") || s.has("required") || s.has("additionalProperties")) {
                types.add("object");
            }
            if (s.has("items") || s.has("prefixItems") || s.has("minItems") || s.has("maxItems")) {
                types.add("array");
            }
            if (s.has("minLength") || s.has("maxLength") || s.has("format")) {
                types.add("string");
            }
            if (s.has("minimum") || s.has("maximum") || s.has("exclusiveMinimum") || s.has("exclusiveMaximum")) {
                types.add("number");
            }
            if (types.isEmpty()) {
                types.addAll(TYPES);
                types.remove("integer");
            }
        }
        if (s.path("nullable").asBoolean(false)) {
            types.add("null");
        }
        if (types.contains("number")) {
            types.remove("integer");
        }
        return types;
    }

    private static Set<String> typeNames(JsonNode type) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode t : type.isArray() ? type : List.of(type)) {
            String name = t.asText();
            if (!TYPES.contains(name)) {
                throw new SchemaException("type", "unknown type '" + name + "'");
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw new SchemaException("type", "'type' must name at least one type");
        }
        return out;
    }

    private Grammar typed(String type, JsonNode s) {
        return switch (type) {
            case "object" -> object(s);
            case "array" -> array(s);
            case "string" -> string(s);
            case "integer" -> integer(s);
            case "number" -> number(s);
            case "boolean" -> JsonGrammars.BOOLEAN;
            default -> JsonGrammars.NULL;
        };
    }

    // ---- strings ----

    private Grammar string(JsonNode s) {
        String format = s.path("format").asText("");
        if (FORMATS.contains(format)) {
            return sequence(literal("\""), Formats.of(format), literal("\""));
        }
        int min = bound(s, "minLength", 0);
        int max = bound(s, "maxLength", -1);
        if (max >= 0 && max < min) {
            throw new SchemaException("maxLength", "'maxLength' is below 'minLength'");
        }
        return JsonGrammars.string(min, max);
    }

    private static int bound(JsonNode s, String key, int absent) {
        JsonNode v = s.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
            throw new SchemaException(key, "'" + key + "' must be a non-negative integer");
        }
        if (v.intValue() > MAX_LENGTH_BOUND) {
            throw new SchemaException(key, "'" + key + "' above " + MAX_LENGTH_BOUND + " is not supported");
        }
        return v.intValue();
    }

    // ---- numbers ----

    /** Bounds of a number schema, rounded inwards to integers; null = unbounded. */
    private record Bounds(Long lo, boolean loExclusive, Long hi, boolean hiExclusive) {
    }

    private Bounds bounds(JsonNode s) {
        Long lo = null;
        Long hi = null;
        boolean loEx = false;
        boolean hiEx = false;
        if (s.has("minimum")) {
            lo = rounded(s, "minimum", true);
        }
        if (s.has("maximum")) {
            hi = rounded(s, "maximum", false);
        }
        JsonNode exMin = s.get("exclusiveMinimum");
        if (exMin != null && exMin.isBoolean()) {
            loEx = exMin.booleanValue() && lo != null && exact(s.get("minimum"));
        } else if (exMin != null) {
            long v = rounded(s, "exclusiveMinimum", true);
            boolean ex = exact(exMin);
            if (lo == null || v > lo || (v == lo && ex)) {
                lo = v;
                loEx = ex;
            }
        }
        JsonNode exMax = s.get("exclusiveMaximum");
        if (exMax != null && exMax.isBoolean()) {
            hiEx = exMax.booleanValue() && hi != null && exact(s.get("maximum"));
        } else if (exMax != null) {
            long v = rounded(s, "exclusiveMaximum", false);
            boolean ex = exact(exMax);
            if (hi == null || v < hi || (v == hi && ex)) {
                hi = v;
                hiEx = ex;
            }
        }
        return new Bounds(lo, loEx, hi, hiEx);
    }

    private static boolean exact(JsonNode v) {
        return v.isIntegralNumber() || v.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static long rounded(JsonNode s, String key, boolean up) {
        JsonNode v = s.get(key);
        if (!v.isNumber()) {
            throw new SchemaException(key, "'" + key + "' must be a number");
        }
        BigDecimal d = v.decimalValue();
        BigDecimal r = d.setScale(0, up ? java.math.RoundingMode.CEILING : java.math.RoundingMode.FLOOR);
        try {
            return r.longValueExact();
        } catch (ArithmeticException e) {
            throw new SchemaException(key, "'" + key + "' is out of the supported range");
        }
    }

    private Grammar integer(JsonNode s) {
        Bounds b = bounds(s);
        Long lo = b.lo == null ? null : b.loExclusive ? b.lo + 1 : b.lo;
        Long hi = b.hi == null ? null : b.hiExclusive ? b.hi - 1 : b.hi;
        Grammar g = IntegerRanges.integer(lo, hi);
        if (g == null) {
            throw new SchemaException("minimum", "no integer lies between the bounds");
        }
        return g;
    }

    /**
     * Numbers within integer bounds: integers in range, or an integer part and a fraction ending in a non-zero
     * digit (so it is never a whole number) whose value stays strictly between two integers in range.
     */
    private Grammar number(JsonNode s) {
        Bounds b = bounds(s);
        if (b.lo == null && b.hi == null) {
            return JsonGrammars.NUMBER;
        }
        List<Grammar> options = new ArrayList<>();
        Grammar ints = IntegerRanges.integer(b.lo == null ? null : b.loExclusive ? b.lo + 1 : b.lo,
                b.hi == null ? null : b.hiExclusive ? b.hi - 1 : b.hi);
        if (ints != null) {
            options.add(ints);
        }
        Grammar fraction = sequence(literal("."), repeat(JsonGrammars.DIGIT, 0, JsonGrammars.MAX_FRACTION_DIGITS - 1),
                JsonGrammars.NONZERO);
        // Non-negative integer part I: the value lies in (I, I + 1).
        long posLo = b.lo == null ? 0 : Math.max(b.lo, 0);
        Long posHi = b.hi == null ? null : b.hi - 1;
        if (posHi == null || posHi >= posLo) {
            options.add(sequence(IntegerRanges.nonNegative(posLo, posHi), fraction));
        }
        // "-M.F": the value lies in (-(M + 1), -M).
        long negLo = b.hi == null || b.hi >= 0 ? 0 : -b.hi;
        Long negHi = b.lo == null ? null : -b.lo - 1;
        if (negHi == null || negHi >= negLo) {
            options.add(sequence(literal("-"), IntegerRanges.nonNegative(negLo, negHi), fraction));
        }
        if (options.isEmpty()) {
            throw new SchemaException("minimum", "no number lies between the bounds");
        }
        return choice(options);
    }

    // ---- arrays ----

    private Grammar array(JsonNode s) {
        List<JsonNode> prefix = new ArrayList<>();
        JsonNode rest = s.get("items");
        if (s.has("prefixItems")) {
            s.get("prefixItems").forEach(prefix::add);
        } else if (rest != null && rest.isArray()) {
            rest.forEach(prefix::add);
            rest = s.get("additionalItems");
        }
        int min = bound(s, "minItems", 0);
        int max = bound(s, "maxItems", -1);
        if (rest != null && rest.isBoolean() && !rest.booleanValue()) {
            // No item beyond the prefix: the bound below keeps restItem from ever being used.
            max = max < 0 ? prefix.size() : Math.min(max, prefix.size());
        }
        if (max >= 0 && max < min) {
            throw new SchemaException("maxItems", "the array cannot hold 'minItems' items");
        }
        boolean noRest = rest != null && rest.isBoolean() && !rest.booleanValue();
        Grammar restItem = rest == null || noRest ? JsonGrammars.VALUE : value(rest);
        if (prefix.isEmpty()) {
            return JsonGrammars.array(restItem, min, max);
        }
        if (max == 0) {
            return JsonGrammars.array(restItem, 0, 0);
        }
        List<Grammar> items = new ArrayList<>();
        for (JsonNode p : prefix) {
            items.add(value(p));
        }
        Grammar sep = sequence(WS, literal(","), WS);
        // Items from index i on, after at least one: the rest item repeated, then prefix items backwards.
        int p = items.size();
        Grammar tail = max >= 0 && max <= p ? Grammar.empty()
                : repeat(sequence(sep, restItem), Math.max(0, min - p), max < 0 ? -1 : max - p);
        for (int i = Math.min(p, max < 0 ? p : max) - 1; i >= 1; i--) {
            Grammar one = sequence(sep, items.get(i), tail);
            tail = i < min ? one : optional(one);
        }
        Grammar body = sequence(items.getFirst(), tail, WS);
        return sequence(literal("["), WS, min > 0 ? body : optional(body), literal("]"));
    }

    // ---- objects ----

    private Grammar object(JsonNode s) {
        Map<String, JsonNode> props = new LinkedHashMap<>();
        JsonNode properties = s.get("properties");
        if (properties != null) {
            if (!properties.isObject()) {
                throw new SchemaException("properties", "'properties' must be an object");
            }
            properties.properties().forEach(e -> props.put(e.getKey(), e.getValue()));
        }
        Set<String> required = new HashSet<>();
        JsonNode req = s.get("required");
        if (req != null) {
            if (!req.isArray()) {
                throw new SchemaException("required", "'required' must be an array of names");
            }
            for (JsonNode n : req) {
                required.add(n.asText());
                props.putIfAbsent(n.asText(), JsonNodeFactory.instance.booleanNode(true));
            }
        }
        JsonNode additional = s.get("additionalProperties");
        Grammar extraValue;
        if (additional == null) {
            extraValue = props.isEmpty() ? JsonGrammars.VALUE : null;
        } else if (additional.isBoolean()) {
            extraValue = additional.booleanValue() ? JsonGrammars.VALUE : null;
        } else {
            extraValue = value(additional);
        }
        List<Member> members = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : props.entrySet()) {
            Grammar kv = sequence(literal(json(JsonNodeFactory.instance.textNode(e.getKey()))), WS, literal(":"), WS,
                    value(e.getValue()));
            members.add(new Member(kv, required.contains(e.getKey()), false));
        }
        if (extraValue != null) {
            Grammar key = props.isEmpty() ? JsonGrammars.STRING : KeysOtherThan.grammar(props.keySet());
            members.add(new Member(sequence(key, WS, literal(":"), WS, extraValue), false, true));
        }
        return ObjectMembers.object(members);
    }

    /** One member of an object grammar: a key-value pair, required or not, or (repeated) extra members. */
    record Member(Grammar keyValue, boolean required, boolean repeated) {
    }

    private static String json(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new SchemaException(null, "cannot write " + v);
        }
    }
}
