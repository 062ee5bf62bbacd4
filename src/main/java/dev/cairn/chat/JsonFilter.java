package dev.cairn.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;

/**
 * {@code tojson} as transformers defines it for chat templates ({@link PythonJson}), with its arguments
 * {@code ensure_ascii}, {@code indent}, {@code separators} and {@code sort_keys}.
 */
final class JsonFilter implements Filter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return filter(var, interpreter, (Object[]) args, Map.of());
    }

    // transformers: tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        boolean ensureAscii = truthy(PythonFilters.argument(args, kwargs, 0, "ensure_ascii"));
        Object indentArg = PythonFilters.argument(args, kwargs, 1, "indent");
        if (indentArg instanceof String s) {
            indentArg = s.isBlank() ? null : Long.parseLong(s.trim());
        }
        Integer indent = indentArg == null ? null : PythonValues.toInt(indentArg, "tojson indent");
        Object separators = PythonFilters.argument(args, kwargs, 2, "separators");
        String itemSep = indent == null ? ", " : ",";
        String keySep = ": ";
        if (separators instanceof List<?> pair && pair.size() == 2) {
            itemSep = String.valueOf(pair.get(0));
            keySep = String.valueOf(pair.get(1));
        } else if (separators != null) {
            throw new TemplateException("tojson separators must be a pair of strings, got " + PythonValues.repr(separators));
        }
        boolean sortKeys = truthy(PythonFilters.argument(args, kwargs, 3, "sort_keys"));
        return new PythonJson(indent, itemSep, keySep, ensureAscii, sortKeys).dumps(var);
    }

    private static boolean truthy(Object o) {
        return o != null && !Boolean.FALSE.equals(o) && !"false".equalsIgnoreCase(o.toString())
                && !(o instanceof Number n && n.doubleValue() == 0);
    }
}
