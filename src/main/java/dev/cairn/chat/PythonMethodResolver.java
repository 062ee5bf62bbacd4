package dev.cairn.chat;

import com.hubspot.jinjava.util.ForLoop;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Resolves the Python methods templates call on strings, dicts and lists ({@code startswith}, {@code strip},
 * {@code split}, {@code items}, {@code get}...). Jinjava only knows Java's method names, and some Java names exist with
 * other meanings ({@code String.split} takes a regex), so this resolver runs before Jinjava's own. Anything it does
 * not know is left unresolved for the next resolver.
 */
final class PythonMethodResolver extends ELResolver {
    /** Name of the method {@link TemplatePreprocessor} rewrites {@code x[a:b:c]} into. */
    static final String SLICE_METHOD = "__cairn_slice__";
    private static final java.util.regex.Pattern INDEX = java.util.regex.Pattern.compile("-?\\d{1,9}");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || !(method instanceof String name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (name.equals(SLICE_METHOD)) {
            result = PythonValues.slice(base, arg(args, 0), arg(args, 1), arg(args, 2));
        } else if (base instanceof String s) {
            result = stringMethod(s, name, args);
        } else if (base instanceof Map<?, ?> m) {
            result = mapMethod(m, name, args);
        } else if (base instanceof List<?> l) {
            result = listMethod(l, name, args);
        } else {
            return null;
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object arg(Object[] args, int i) {
        return i < args.length ? args[i] : null;
    }

    private static String strArg(Object[] args, int i, String method) {
        Object a = arg(args, i);
        if (a == null) {
            return null;
        }
        if (a instanceof String s) {
            return s;
        }
        throw new TemplateException(method + "() argument must be a string, got '" + a + "'");
    }

    private static int intArg(Object[] args, int i, int def) {
        Object a = arg(args, i);
        return a == null ? def : PythonValues.toInt(a, "argument");
    }

    private static Object stringMethod(String s, String name, Object[] args) {
        return switch (name) {
            case "startswith" -> anyAffix(s, arg(args, 0), true);
            case "endswith" -> anyAffix(s, arg(args, 0), false);
            case "strip" -> PythonStrings.strip(s, strArg(args, 0, name), true, true);
            case "lstrip" -> PythonStrings.strip(s, strArg(args, 0, name), true, false);
            case "rstrip" -> PythonStrings.strip(s, strArg(args, 0, name), false, true);
            case "split" -> PythonStrings.split(s, strArg(args, 0, name), intArg(args, 1, -1));
            case "rsplit" -> PythonStrings.rsplit(s, strArg(args, 0, name), intArg(args, 1, -1));
            case "splitlines" -> PythonStrings.splitlines(s);
            case "upper" -> s.toUpperCase();
            case "lower" -> s.toLowerCase();
            case "title" -> PythonStrings.title(s);
            case "capitalize" -> PythonStrings.capitalize(s);
            case "replace" -> replace(s, strArg(args, 0, name), strArg(args, 1, name), intArg(args, 2, -1));
            case "format" -> PythonStrings.format(s, args);
            case "join" -> join(s, arg(args, 0));
            case "find" -> s.indexOf(requireStr(args, name));
            case "rfind" -> s.lastIndexOf(requireStr(args, name));
            case "index" -> index(s, requireStr(args, name));
            case "count" -> PythonStrings.count(s, requireStr(args, name));
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(PythonStrings::isPyWhitespace);
            case "islower" -> s.chars().anyMatch(Character::isLowerCase) && s.equals(s.toLowerCase());
            case "isupper" -> s.chars().anyMatch(Character::isUpperCase) && s.equals(s.toUpperCase());
            default -> NOT_HANDLED;
        };
    }

    private static String requireStr(Object[] args, String method) {
        String s = strArg(args, 0, method);
        if (s == null) {
            throw new TemplateException(method + "() needs a string argument");
        }
        return s;
    }

    private static int index(String s, String sub) {
        int at = s.indexOf(sub);
        if (at < 0) {
            throw new TemplateException("substring not found");
        }
        return at;
    }

    private static boolean anyAffix(String s, Object affix, boolean prefix) {
        if (affix instanceof Collection<?> options) {
            for (Object o : options) {
                if (anyAffix(s, o, prefix)) {
                    return true;
                }
            }
            return false;
        }
        if (!(affix instanceof String a)) {
            throw new TemplateException((prefix ? "startswith" : "endswith") + "() needs a string or a tuple of strings");
        }
        return prefix ? s.startsWith(a) : s.endsWith(a);
    }

    private static String replace(String s, String old, String with, int count) {
        if (old == null || with == null) {
            throw new TemplateException("replace() needs two string arguments");
        }
        if (count < 0) {
            return s.replace(old, with);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(with);
            from = at + old.length();
        }
        return sb.append(s.substring(from)).toString();
    }

    private static String join(String sep, Object items) {
        if (!(items instanceof Iterable<?> it)) {
            throw new TemplateException("join() needs a list");
        }
        StringBuilder sb = new StringBuilder();
        Iterator<?> i = it.iterator();
        while (i.hasNext()) {
            sb.append(PythonValues.str(i.next()));
            if (i.hasNext()) {
                sb.append(sep);
            }
        }
        return sb.toString();
    }

    private static Object mapMethod(Map<?, ?> m, String name, Object[] args) {
        return switch (name) {
            case "items" -> new ArrayList<>(m.entrySet());
            case "keys" -> new ArrayList<>(m.keySet());
            case "values" -> new ArrayList<>(m.values());
            case "get" -> m.containsKey(arg(args, 0)) ? m.get(arg(args, 0)) : arg(args, 1);
            default -> NOT_HANDLED;
        };
    }

    private static Object listMethod(List<?> l, String name, Object[] args) {
        return switch (name) {
            case "index" -> {
                int at = l.indexOf(arg(args, 0));
                if (at < 0) {
                    throw new TemplateException("value is not in list");
                }
                yield at;
            }
            case "count" -> (int) l.stream().filter(x -> java.util.Objects.equals(x, arg(args, 0))).count();
            default -> NOT_HANDLED;
        };
    }

    // Property access stays with Jinjava's resolvers, except string indexing and the loop attributes ForLoop lacks.
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        // Jinjava hands the index over as text ("0", "-1").
        if (base instanceof String s && property != null && INDEX.matcher(property.toString()).matches()) {
            int n = Integer.parseInt(property.toString());
            int i = n < 0 ? s.length() + n : n;
            context.setPropertyResolved(true);
            // Out of range is undefined in jinja2, not an error.
            return i < 0 || i >= s.length() ? null : String.valueOf(s.charAt(i));
        }
        if (base instanceof ForLoop loop && property instanceof String name
                && (name.equals("previtem") || name.equals("nextitem"))) {
            context.setPropertyResolved(true);
            return PythonForTag.neighbour(loop, name.equals("previtem") ? -1 : 1);
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
