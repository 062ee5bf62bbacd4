package dev.cairn.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;

/** {@code tojson} as transformers defines it for chat templates: see {@link PythonJson}. Accepts {@code indent=N}. */
final class JsonFilter implements Filter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return filter(var, interpreter, (Object[]) args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
        if (indent instanceof String s && !s.isBlank()) {
            indent = Integer.parseInt(s.trim());
        }
        return PythonJson.dumps(var, indent == null ? null : PythonValues.toInt(indent, "tojson indent"));
    }
}
