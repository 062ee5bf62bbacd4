package dev.cairn.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectTruthValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedList;
import java.util.WeakHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jinja's {@code for} where Jinjava's differs: the loop filter {@code {% for k, v in d.items() if k != "return" %}}
 * (applied before the loop, so {@code loop.index}/{@code loop.length}/{@code loop.last} count only kept items; Jinjava
 * would read it as a conditional expression and not filter), and {@code loop.previtem}/{@code loop.nextitem}
 * (Jinjava's loop object has neither; {@link PythonMethodResolver} answers them from the item list kept here), and
 * {@code {% for %}...{% else %}...{% endfor %}}, whose else part renders only when nothing was iterated (Jinjava
 * would render it on every iteration).
 */
final class PythonForTag extends ForTag {
    /** Context key of the current loop's items, for {@code loop.previtem}/{@code loop.nextitem}. */
    static final String ITEMS_KEY = "__cairn_loop_items__";

    // The else part of each for node, detached from its children on first render (parsed trees are shared).
    private static final Map<TagNode, List<Node>> ELSE_PARTS = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
        List<Node> elsePart = ELSE_PARTS.computeIfAbsent(tagNode, PythonForTag::detachElse);
        var varsAndExpression = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
        List<String> loopVars = varsAndExpression.getLeft();
        String[] iterableAndFilter = splitFilter(varsAndExpression.getRight());
        Object collection = interpreter.resolveELExpression(iterableAndFilter[0], tagNode.getLineNumber());
        List<Object> items = items(collection);
        if (iterableAndFilter[1] != null) {
            items = filter(items, loopVars, iterableAndFilter[1], interpreter, tagNode.getLineNumber());
        }
        if (items.isEmpty() && !elsePart.isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (Node node : elsePart) {
                out.append(node.render(interpreter).getValue());
            }
            return out.toString();
        }
        try (InterpreterScopeClosable c = interpreter.enterScope()) {
            interpreter.getContext().put(ITEMS_KEY, items);
            return renderForCollection(tagNode, interpreter, loopVars, items);
        }
    }

    private static List<Node> detachElse(TagNode forNode) {
        LinkedList<Node> children = forNode.getChildren();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof TagNode t && t.getName().equals("else")) {
                List<Node> elsePart = new ArrayList<>(children.subList(i + 1, children.size()));
                children.subList(i, children.size()).clear();
                return elsePart;
            }
        }
        return List.of();
    }

    /** The item before/after the current one of {@code loop}, or null at the ends. */
    static Object neighbour(ForLoop loop, int offset) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        if (interpreter == null || !(interpreter.getContext().get(ITEMS_KEY) instanceof List<?> items)) {
            return null;
        }
        int i = loop.getIndex0() + offset;
        return i >= 0 && i < items.size() ? items.get(i) : null;
    }

    // Python iteration: a dict yields its keys; anything else its elements.
    private static List<Object> items(Object collection) {
        if (collection == null) {
            return new ArrayList<>();
        }
        if (collection instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (collection instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (collection instanceof Object[] arr) {
            return new ArrayList<>(Arrays.asList(arr));
        }
        if (collection instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(out::add);
            return out;
        }
        if (collection instanceof String s) {
            List<Object> out = new ArrayList<>();
            s.codePoints().forEach(cp -> out.add(Character.toString(cp)));
            return out;
        }
        List<Object> single = new ArrayList<>();
        single.add(collection);
        return single;
    }

    private static List<Object> filter(List<Object> items, List<String> loopVars, String condition,
                                       JinjavaInterpreter interpreter, int line) {
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
            try (InterpreterScopeClosable c = interpreter.enterScope()) {
                bind(loopVars, interpreter.wrap(item), interpreter);
                if (ObjectTruthValue.evaluate(interpreter.resolveELExpression(condition, line))) {
                    kept.add(item);
                }
            }
        }
        return kept;
    }

    private static void bind(List<String> loopVars, Object val, JinjavaInterpreter interpreter) {
        if (loopVars.size() == 1) {
            interpreter.getContext().put(loopVars.getFirst(), val);
            return;
        }
        for (int i = 0; i < loopVars.size(); i++) {
            Object v = null;
            if (val instanceof Map.Entry<?, ?> e) {
                v = i == 0 ? e.getKey() : i == 1 ? e.getValue() : null;
            } else if (val instanceof PyList l) {
                v = i < l.size() ? l.get(i) : null;
            } else if (val instanceof List<?> l) {
                v = i < l.size() ? l.get(i) : null;
            }
            interpreter.getContext().put(loopVars.get(i), v);
        }
    }

    /**
     * Splits "ITERABLE if CONDITION" at the first {@code if} outside quotes and brackets. Jinja does not allow a bare
     * conditional expression as the iterable, so such an {@code if} is always the loop filter.
     */
    static String[] splitFilter(String expression) {
        int depth = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'' || c == '"') {
                i = QuotedText.end(expression, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && c == 'i' && expression.startsWith("if", i) && boundary(expression, i - 1)
                    && boundary(expression, i + 2)) {
                return new String[] {expression.substring(0, i).trim(), expression.substring(i + 2).trim()};
            }
        }
        return new String[] {expression, null};
    }

    private static boolean boundary(String s, int i) {
        return i < 0 || i >= s.length() || Character.isWhitespace(s.charAt(i));
    }
}
