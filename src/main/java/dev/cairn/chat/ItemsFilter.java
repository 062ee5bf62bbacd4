package dev.cairn.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** jinja2's {@code items} filter: a dict's (key, value) pairs, for {@code {% for k, v in d|items %}}. */
final class ItemsFilter implements Filter {
    @Override
    public String getName() {
        return "items";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        if (var == null) {
            return List.of();
        }
        if (!(var instanceof Map<?, ?> m)) {
            throw new TemplateException("items filter needs a mapping, got " + PythonValues.repr(var));
        }
        return new ArrayList<>(m.entrySet());
    }
}
