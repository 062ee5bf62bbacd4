package dev.cairn.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/** An independent judge for generated JSON: Jackson parses it and networknt's validator checks it (formats asserted). */
public final class SchemaCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final Schema schema;

    public SchemaCheck(String schemaJson) {
        this.schema = REGISTRY.getSchema(schemaJson, InputFormat.JSON);
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The validator's complaints about {@code instance} (empty when it satisfies the schema). */
    public List<String> errors(String instance) {
        List<Error> errors = schema.validate(instance, InputFormat.JSON,
                (ctx, sc) -> ctx.executionConfig(b -> b.formatAssertionsEnabled(true)));
        return errors.stream().map(Error::getMessage).toList();
    }
}
