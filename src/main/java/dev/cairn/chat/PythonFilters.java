package dev.cairn.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.util.ObjectTruthValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** jinja2 filters Jinjava lacks or defines differently for the values templates use. */
final class PythonFilters {
    private PythonFilters() {
    }

    static List<Filter> all() {
        Comparator<Object> order = PythonFilters::compare;
        return List.of(new Items(), new Str(), new Trim(), new Indent(),
                new Pick("min", items -> items.stream().min(order).orElseThrow()),
                new Pick("max", items -> items.stream().max(order).orElseThrow()),
                new Pick("first", List::getFirst), new Pick("last", List::getLast), new Truncate());
    }

    /** A filter's argument given by keyword or by position (null when not given). */
    static Object argument(Object[] args, Map<String, Object> kwargs, int position, String name) {
        return kwargs.containsKey(name) ? kwargs.get(name) : position < args.length ? args[position] : null;
    }

    /** {@code items}: a dict's (key, value) pairs, for {@code {% for k, v in d|items %}}. */
    static final class Items implements Filter {
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

    /**
     * {@code trim}: Python's {@code str(x).strip(chars)}; nothing for None/undefined, as jinja2 gives for an
     * undefined value (Hermes' template trims parameter descriptions that may be missing).
     */
    static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return var == null ? "" : PythonStrings.strip(PythonValues.str(var), chars, true, true);
        }
    }

    /**
     * {@code indent(width=4, first=False, blank=False)} as jinja2 3.1 defines it (Jinjava's takes other argument
     * names, and Command-R's template passes {@code first=true}): every line after the first gets the indent (all
     * lines with {@code first}), empty lines only with {@code blank}; width may be the indent text itself.
     */
    static final class Indent implements Filter {
        @Override
        public String getName() {
            return "indent";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object width = argument(args, kwargs, 0, "width", 4L);
            String indent = width instanceof String w ? w : " ".repeat(PythonValues.toInt(width, "indent width"));
            boolean first = ObjectTruthValue.evaluate(argument(args, kwargs, 1, "first", false));
            boolean blank = ObjectTruthValue.evaluate(argument(args, kwargs, 2, "blank", false));
            List<String> lines = PythonStrings.splitlines(PythonValues.str(var == null ? "" : var) + "\n");
            StringBuilder sb = new StringBuilder(lines.isEmpty() ? "" : lines.getFirst());
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                sb.append('\n').append(blank || !line.isEmpty() ? indent + line : line);
            }
            return first ? indent + sb : sb.toString();
        }

        private static Object argument(Object[] args, Map<String, Object> kwargs, int position, String name,
                                       Object otherwise) {
            Object v = PythonFilters.argument(args, kwargs, position, name);
            // Jinjava may hand literal arguments over as their text.
            if (v instanceof String s && position > 0) {
                return Boolean.parseBoolean(s);
            }
            if (v instanceof String s && !s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(s);
            }
            return v == null ? otherwise : v;
        }
    }

    /** {@code string}: Python's {@code str()} ({@code True}, {@code ['a']}). */
    static final class Str implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return var == null ? "" : PythonValues.str(var);
        }
    }

    /**
     * Filters that pick one element of a list or of a string's characters, or null when there is none:
     * {@code min}/{@code max} (case-insensitive for text, as jinja2) and {@code first}/{@code last}.
     */
    static final class Pick implements Filter {
        private final String name;
        private final Function<List<Object>, Object> pick;

        Pick(String name, Function<List<Object>, Object> pick) {
            this.name = name;
            this.pick = pick;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            List<Object> items = elements(var);
            return items.isEmpty() ? null : pick.apply(items);
        }
    }

    /** {@code truncate(length=255, killwords=False, end='...', leeway=5)} exactly as jinja2 cuts. */
    static final class Truncate implements Filter {
        @Override
        public String getName() {
            return "truncate";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            String s = var == null ? "" : PythonValues.str(var);
            int length = intArg(kwargs.getOrDefault("length", args.length > 0 ? args[0] : null), 255);
            boolean killwords = Boolean.TRUE.equals(toBool(kwargs.getOrDefault("killwords", args.length > 1 ? args[1] : null)));
            Object endArg = kwargs.getOrDefault("end", args.length > 2 ? args[2] : null);
            String end = endArg == null ? "..." : endArg.toString();
            int leeway = intArg(kwargs.getOrDefault("leeway", args.length > 3 ? args[3] : null), 5);
            if (s.length() <= length + leeway) {
                return s;
            }
            String head = s.substring(0, Math.max(0, Math.min(s.length(), length - end.length())));
            if (!killwords) {
                int space = head.lastIndexOf(' ');
                if (space >= 0) {
                    head = head.substring(0, space);
                }
            }
            return head + end;
        }

        private static int intArg(Object o, int def) {
            if (o == null) {
                return def;
            }
            return o instanceof Number n ? n.intValue() : Integer.parseInt(o.toString().trim());
        }

        private static Boolean toBool(Object o) {
            return o instanceof Boolean b ? b : o == null ? null : Boolean.parseBoolean(o.toString().trim());
        }
    }

    private static List<Object> elements(Object var) {
        List<Object> out = new ArrayList<>();
        if (var instanceof String s) {
            s.codePoints().forEach(cp -> out.add(Character.toString(cp)));
        } else if (var instanceof Map<?, ?> m) {
            out.addAll(m.keySet());
        } else if (var instanceof Collection<?> c) {
            out.addAll(c);
        } else if (var instanceof Object[] arr) {
            out.addAll(List.of(arr));
        } else if (var instanceof Iterable<?> it) {
            it.forEach(out::add);
        } else if (var != null) {
            throw new TemplateException("'" + PythonValues.repr(var) + "' is not iterable");
        }
        return out;
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.toLowerCase().compareTo(y.toLowerCase());
        }
        throw new TemplateException("cannot compare " + PythonValues.repr(a) + " and " + PythonValues.repr(b));
    }
}
