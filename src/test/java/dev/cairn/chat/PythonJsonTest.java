package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonJsonTest {
    private static final PythonJson DEFAULT = new PythonJson(null, ", ", ": ", false, false);

    @Test
    void floatsAsPythonsReprWritesThem() {
        // Expected values printed by python3: repr(x) for each x.
        Map<Double, String> python = new LinkedHashMap<>();
        python.put(1e16, "1e+16");
        python.put(1.5e-05, "1.5e-05");
        python.put(0.0001, "0.0001");
        python.put(1e15, "1000000000000000.0");
        python.put(123456789012345680.0, "1.2345678901234568e+17");
        python.put(-2.5e-07, "-2.5e-07");
        python.put(20.5, "20.5");
        python.put(-0.0, "-0.0");
        python.put(0.1 + 0.2, "0.30000000000000004");
        python.put(1e300, "1e+300");
        python.forEach((value, repr) -> assertThat(PythonJson.pyFloat(value)).as("%s", value).isEqualTo(repr));
    }

    @Test
    void nestedValuesAsJsonDumps() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", List.of(1, 2.5, true, "é\n"));
        value.put("a", null);
        value.put("c", Map.of());
        // python3: json.dumps({"b": [1, 2.5, True, "é\n"], "a": None, "c": {}}, ensure_ascii=False)
        assertThat(DEFAULT.dumps(value)).isEqualTo("{\"b\": [1, 2.5, true, \"é\\n\"], \"a\": null, \"c\": {}}");
    }
}
