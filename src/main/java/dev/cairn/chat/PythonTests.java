package dev.cairn.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.List;
import java.util.Map;

/**
 * jinja2 tests Jinjava defines differently: in Python a string is iterable and a sequence, and so is a dict
 * (Llama 3.1's template sends a tool result through {@code tojson} when {@code content is iterable}, so a string
 * result is quoted). An undefined value is iterable in jinja2 (it iterates as nothing), and Hermes' template relies
 * on that for array parameters; Jinjava cannot tell undefined from None, so None counts as iterable too.
 */
final class PythonTests {
    private PythonTests() {
    }

    static List<ExpTest> all() {
        return List.of(new Container("iterable", true), new Container("sequence", false));
    }

    // Both tests hold for strings, lists and dicts (jinja2: iter(), or len() and [] work); only "iterable" for undefined.
    private record Container(String getName, boolean undefinedToo) implements ExpTest {
        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return (var == null && undefinedToo) || var instanceof CharSequence || var instanceof Iterable<?> || var instanceof Map<?, ?>
                    || (var != null && var.getClass().isArray());
        }
    }
}
