package dev.cairn.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/** jinja2's {@code {% filter upper %}...{% endfilter %}}: the rendered body passed through the filter(s). */
final class FilterBlockTag implements Tag {
    private static final String INPUT = "__cairn_filter_input__";

    @Override
    public String getName() {
        return "filter";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        String filters = tagNode.getHelpers().trim();
        if (filters.isEmpty()) {
            throw new TemplateException("filter block needs a filter name, e.g. {% filter upper %}");
        }
        try (InterpreterScopeClosable c = interpreter.enterScope()) {
            StringBuilder body = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                body.append(child.render(interpreter).getValue());
            }
            interpreter.getContext().put(INPUT, body.toString());
            Object out = interpreter.resolveELExpression(INPUT + "|" + filters, tagNode.getLineNumber());
            return out == null ? "" : PythonValues.str(out);
        }
    }
}
