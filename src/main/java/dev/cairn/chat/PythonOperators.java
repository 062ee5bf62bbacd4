package dev.cairn.chat;

import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.util.ObjectTruthValue;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ELContext;
import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;

/** Binary operators with Python semantics where Jinjava's are numeric only. */
final class PythonOperators {
    private PythonOperators() {
    }

    /** {@code *}: repeats a string or list ({@code '=' * 3}), otherwise multiplies numbers. */
    static final AstBinary.Operator MUL = new AstBinary.SimpleOperator() {
        @Override
        public Object apply(TypeConverter converter, Object a, Object b) {
            if (isIntegral(b) && (a instanceof String || a instanceof List<?>)) {
                return repeat(a, ((Number) b).intValue());
            }
            if (isIntegral(a) && (b instanceof String || b instanceof List<?>)) {
                return repeat(b, ((Number) a).intValue());
            }
            return NumberOperations.mul(converter, a, b);
        }

        @Override
        public String toString() {
            return "*";
        }
    };

    /**
     * {@code +}: Jinjava's (lists, dicts, strings, numbers), except that a string plus None/undefined fails as in
     * jinja2 instead of printing "null" into the prompt, and that text added to safe text ({@code 'x'|safe}, a
     * markupsafe Markup in jinja2) is HTML-escaped first, as Markup's {@code +} does (Functionary's templates
     * rely on it, escaping the quotes of the tool JSON they print).
     */
    static final AstBinary.Operator ADD = new AdditionOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if ((isText(a) && b == null) || (a == null && isText(b))) {
                throw new TemplateException("can only concatenate str (not \"NoneType\") to str: a value added to "
                        + "text is None or undefined");
            }
            if ((a instanceof SafeString || b instanceof SafeString) && isText(a) && isText(b)) {
                return new SafeString(markup(a) + markup(b));
            }
            return super.apply(converter, a, b);
        }
    };

    private static boolean isText(Object o) {
        return o instanceof CharSequence || o instanceof SafeString;
    }

    // markupsafe's escape for plain text; safe text as it is.
    private static String markup(Object text) {
        if (text instanceof SafeString safe) {
            return safe.getValue();
        }
        String s = text.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\'' -> sb.append("&#39;");
                case '"' -> sb.append("&#34;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code ~}: both sides as Python's {@code str} ({@code True}, {@code ['a']}); None/undefined as nothing. */
    static final AstBinary.Operator CONCAT = new AstBinary.SimpleOperator() {
        @Override
        public Object apply(TypeConverter converter, Object a, Object b) {
            return (a == null ? "" : PythonValues.str(a)) + (b == null ? "" : PythonValues.str(b));
        }

        @Override
        public String toString() {
            return "~";
        }
    };

    /** {@code and}: Python's, giving the first falsy operand or the last one ({@code 'a' and 'b'} is 'b'). */
    static final AstBinary.Operator AND = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return ObjectTruthValue.evaluate(a) ? right.eval(bindings, context) : a;
        }

        @Override
        public String toString() {
            return "and";
        }
    };

    /** {@code %}: Python's printf-style formatting when the left side is text, otherwise the numeric remainder. */
    static final AstBinary.Operator MOD = new AstBinary.SimpleOperator() {
        @Override
        public Object apply(TypeConverter converter, Object a, Object b) {
            if (a instanceof String format) {
                List<?> args = b instanceof List<?> l ? l : java.util.Collections.singletonList(b);
                return PythonStrings.percentFormat(format, args);
            }
            return NumberOperations.mod(converter, a, b);
        }

        @Override
        public String toString() {
            return "%";
        }
    };

    private static boolean isIntegral(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte;
    }

    private static Object repeat(Object seq, int times) {
        int n = Math.max(0, times);
        if (seq instanceof String s) {
            if ((long) s.length() * n > 1 << 24) {
                throw new TemplateException("string repetition too large");
            }
            return s.repeat(n);
        }
        List<?> list = (List<?>) seq;
        if ((long) list.size() * n > 1 << 20) {
            throw new TemplateException("list repetition too large");
        }
        List<Object> out = new ArrayList<>(list.size() * n);
        for (int i = 0; i < n; i++) {
            out.addAll(list);
        }
        return out;
    }
}
