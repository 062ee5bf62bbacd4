package dev.cairn.grammar;

import static dev.cairn.grammar.Recognizer.isPrefix;
import static dev.cairn.grammar.Recognizer.schemaMatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every supported JSON-schema keyword: documents the schema allows match, documents it forbids do not. */
class JsonSchemaGrammarTest {
    private static void accepts(String schema, String... docs) {
        SchemaCheck judge = new SchemaCheck(schema);
        for (String d : docs) {
            assertThat(judge.errors(d)).as("validator on %s", d).isEmpty();
            assertThat(schemaMatches(schema, d)).as("grammar on %s", d).isTrue();
        }
    }

    private static void refuses(String schema, String... docs) {
        for (String d : docs) {
            assertThat(schemaMatches(schema, d)).as("grammar on %s", d).isFalse();
        }
    }

    @Test
    void types() {
        accepts("{\"type\":\"string\"}", "\"x\"", "\"\"");
        refuses("{\"type\":\"string\"}", "1", "null");
        accepts("{\"type\":\"integer\"}", "0", "-12", "123456");
        refuses("{\"type\":\"integer\"}", "1.5", "\"1\"", "01");
        accepts("{\"type\":\"number\"}", "1.5", "-0.25e10", "3");
        accepts("{\"type\":\"boolean\"}", "true", "false");
        accepts("{\"type\":\"null\"}", "null");
        accepts("{\"type\":[\"string\",\"null\"]}", "\"a\"", "null");
        refuses("{\"type\":[\"string\",\"null\"]}", "1");
        // "nullable" is OpenAPI's, unknown to the validator: the grammar alone is checked.
        assertThat(schemaMatches("{\"type\":\"integer\",\"nullable\":true}", "null")).isTrue();
        assertThat(schemaMatches("{\"type\":\"integer\",\"nullable\":true}", "4")).isTrue();
        refuses("{\"type\":\"integer\",\"nullable\":true}", "\"4\"");
        accepts("{}", "{\"a\":[1,\"b\"]}", "2");
        accepts("true", "[]");
    }

    @Test
    void propertiesInSchemaOrderWithOptionalOnesLeftOut() {
        String s = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"},"
                + "\"c\":{\"type\":\"boolean\"}},\"required\":[\"b\"]}";
        accepts(s, "{\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\": 1, \"b\": \"x\", \"c\": true}",
                "{ \"b\":\"x\",\"c\":false }");
        refuses(s, "{}", "{\"a\":1}", "{\"b\":\"x\",\"a\":1}", "{\"b\":1}", "{\"b\":\"x\",}", "{,\"b\":\"x\"}",
                "{\"b\":\"x\",\"d\":1}");
        String allOptional = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"integer\"}}}";
        accepts(allOptional, "{}", "{\"a\":1}", "{\"b\":2}", "{\"a\":1,\"b\":2}");
        refuses(allOptional, "{\"a\":1\"b\":2}", "{,}");
    }

    @Test
    void additionalProperties() {
        String extra = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"additionalProperties\":"
                + "{\"type\":\"string\"}}";
        accepts(extra, "{\"a\":1,\"x\":\"y\",\"ab\":\"z\"}", "{\"zz\":\"y\"}", "{}");
        refuses(extra, "{\"a\":1,\"x\":2}", "{\"a\":1,\"a\":\"y\"}", "{\"x\":\"y\",\"a\":1}");
        accepts("{\"type\":\"object\"}", "{\"any\":{\"thing\":[1]}}");
        refuses("{\"type\":\"object\",\"properties\":{\"a\":{}},\"additionalProperties\":false}", "{\"b\":1}");
    }

    @Test
    void enumAndConst() {
        accepts("{\"enum\":[\"red\",\"green\",1,null]}", "\"red\"", "1", "null");
        refuses("{\"enum\":[\"red\",\"green\"]}", "\"blue\"", "\"re\"");
        accepts("{\"const\":{\"k\":[1,2]}}", "{\"k\":[1,2]}");
        refuses("{\"const\":\"x\"}", "\"y\"");
    }

    @Test
    void arrays() {
        String s = "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":1,\"maxItems\":3}";
        accepts(s, "[1]", "[1, 2,3]");
        refuses(s, "[]", "[1,2,3,4]", "[\"a\"]");
        String tuple = "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"integer\"}],"
                + "\"items\":false}";
        accepts(tuple, "[]", "[\"a\"]", "[\"a\",1]");
        refuses(tuple, "[1]", "[\"a\",1,2]");
        String tupleMin = "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"}],\"items\":{\"type\":\"boolean\"},"
                + "\"minItems\":2}";
        accepts(tupleMin, "[\"a\",true]", "[\"a\",true,false]");
        refuses(tupleMin, "[\"a\"]", "[\"a\",1]");
    }

    @Test
    void anyOfOneOfAllOf() {
        String s = "{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\"}},"
                + "\"required\":[\"k\"]}]}";
        accepts(s, "5", "{\"k\":\"v\"}");
        refuses(s, "\"v\"", "{}");
        accepts("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"boolean\"}]}", "true", "\"t\"");
        String all = "{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]},"
                + "{\"properties\":{\"b\":{\"type\":\"string\"}},\"required\":[\"b\"]}]}";
        accepts(all, "{\"a\":1,\"b\":\"x\"}");
        refuses(all, "{\"a\":1}", "{\"b\":\"x\"}");
    }

    @Test
    void stringLengthsCountCharacters() {
        String s = "{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}";
        accepts(s, "\"ab\"", "\"éé€\"", "\"a\\n\"");
        refuses(s, "\"a\"", "\"abcd\"", "\"😀\"");
    }

    @Test
    void formats() {
        accepts("{\"type\":\"string\",\"format\":\"date\"}", "\"2024-02-28\"", "\"1999-12-31\"", "\"2024-04-30\"");
        refuses("{\"type\":\"string\",\"format\":\"date\"}", "\"2024-02-30\"", "\"2024-13-01\"", "\"2024-04-31\"",
                "\"24-01-01\"");
        accepts("{\"type\":\"string\",\"format\":\"time\"}", "\"23:59:59Z\"", "\"08:00:00.123+02:00\"");
        refuses("{\"type\":\"string\",\"format\":\"time\"}", "\"24:00:00Z\"", "\"12:60:00Z\"", "\"12:00:00\"");
        accepts("{\"type\":\"string\",\"format\":\"date-time\"}", "\"2024-01-15T10:30:00Z\"");
        accepts("{\"type\":\"string\",\"format\":\"uuid\"}", "\"123e4567-e89b-12d3-a456-426614174000\"");
        refuses("{\"type\":\"string\",\"format\":\"uuid\"}", "\"123e4567e89b12d3a456426614174000\"");
    }

    @Test
    void integerBoundsAreExact() {
        String s = "{\"type\":\"integer\",\"minimum\":-15,\"maximum\":237}";
        SchemaCheck judge = new SchemaCheck(s);
        GrammarState start = CompiledGrammar.compile(Grammar.jsonSchema(SchemaCheck.parse(s))).initial;
        for (int v = -200; v <= 400; v++) {
            boolean inRange = v >= -15 && v <= 237;
            GrammarState end = start.advance(Integer.toString(v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(end != null && end.accepting()).as("%d", v).isEqualTo(inRange);
            assertThat(judge.errors(Integer.toString(v)).isEmpty()).isEqualTo(inRange);
        }
        String ex = "{\"type\":\"integer\",\"exclusiveMinimum\":9,\"exclusiveMaximum\":1000}";
        accepts(ex, "10", "999", "500");
        refuses(ex, "9", "1000", "-5", "0");
        accepts("{\"type\":\"integer\",\"minimum\":100}", "100", "99999999");
        refuses("{\"type\":\"integer\",\"minimum\":100}", "99", "-100", "0");
        accepts("{\"type\":\"integer\",\"maximum\":-3}", "-3", "-1000");
        refuses("{\"type\":\"integer\",\"maximum\":-3}", "-2", "0", "5");
    }

    @Test
    void numberBounds() {
        String s = "{\"type\":\"number\",\"minimum\":-2,\"exclusiveMaximum\":3}";
        accepts(s, "-2", "-1.5", "0", "2.999", "-0.5", "2");
        refuses(s, "3", "3.5", "-2.5", "-3", "3.0");
    }

    @Test
    void refsIncludingRecursion() {
        String s = "{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\"},"
                + "\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}},\"required\":[\"v\"]}},"
                + "\"$ref\":\"#/$defs/node\"}";
        accepts(s, "{\"v\":1}", "{\"v\":1,\"kids\":[{\"v\":2,\"kids\":[{\"v\":3}]},{\"v\":4}]}");
        refuses(s, "{\"v\":1,\"kids\":[{\"kids\":[]}]}");
        String defs = "{\"definitions\":{\"c\":{\"enum\":[\"a\",\"b\"]}},\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/c\"}}";
        accepts(defs, "[\"a\",\"b\"]");
        refuses(defs, "[\"c\"]");
    }

    @Test
    void unsupportedKeywordsAreNamedWhenStrictAndIgnoredWhenLenient() {
        for (String kw : new String[] {"pattern", "multipleOf", "not", "patternProperties", "minProperties"}) {
            String value = kw.equals("pattern") ? "\"^a\"" : kw.equals("not") || kw.equals("patternProperties")
                    ? "{}" : "2";
            String s = "{\"type\":\"string\",\"" + kw + "\":" + value + "}";
            assertThatThrownBy(() -> Grammar.jsonSchema(SchemaCheck.parse(s))).isInstanceOf(SchemaException.class)
                    .hasMessageContaining(kw).extracting(e -> ((SchemaException) e).keyword()).isEqualTo(kw);
            assertThat(Recognizer.matches(Grammar.jsonSchemaLenient(SchemaCheck.parse(s)), "\"abc\"")).isTrue();
        }
        assertThatThrownBy(() -> Grammar.jsonSchema(SchemaCheck.parse("{\"type\":\"string\",\"format\":\"email\"}")))
                .isInstanceOf(SchemaException.class).hasMessageContaining("email");
        assertThatThrownBy(() -> Grammar.jsonSchema(SchemaCheck.parse("{\"$ref\":\"#/$defs/missing\"}")))
                .isInstanceOf(SchemaException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> Grammar.jsonSchemaLenient(SchemaCheck.parse("{\"$ref\":\"http://x/y.json\"}")))
                .isInstanceOf(SchemaException.class);
    }

    @Test
    void annotationsAreIgnored() {
        String s = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"T\",\"description\":\"d\","
                + "\"type\":\"string\",\"default\":\"x\",\"examples\":[\"y\"]}";
        accepts(s, "\"z\"");
        assertThat(isPrefix(Grammar.jsonSchema(SchemaCheck.parse(s)), "1")).isFalse();
    }
}
