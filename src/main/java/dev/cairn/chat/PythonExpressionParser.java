package dev.cairn.chat;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.NamedParameterOperator;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression parser with Python's precedence for {@code not}: in Jinja (as in Python) {@code not} binds
 * looser than comparisons and tests, so {@code not x is defined} means {@code not (x is defined)} and
 * {@code not a == b} means {@code not (a == b)}. Jinjava's parser reads both as {@code (not x) ...}, which turns
 * templates' {@code {% if not date_string is defined %}} upside down.
 *
 * <p>Also: a keyword argument's value is a whole expression ({@code namespace(n=messages|length - 1)}); Jinjava binds
 * {@code name=} tighter than {@code +}/{@code -} and would compute {@code (n=messages|length) - 1}.
 */
final class PythonExpressionParser extends ExtendedParser {
    PythonExpressionParser(Builder context, String input) {
        super(context, input);
    }

    @Override
    protected AstNode eq(boolean required) throws Scanner.ScanException, Parser.ParseException {
        if (getToken().getSymbol() == Scanner.Symbol.NOT) {
            consumeToken();
            return createAstUnary(eq(true), AstUnary.NOT);
        }
        return super.eq(required);
    }

    @Override
    protected AstNode add(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = mul(required);
        if (v == null) {
            return null;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case PLUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), PythonOperators.ADD);
                }
                case MINUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), AstBinary.SUB);
                }
                case EXTENSION -> {
                    ExtensionHandler handler = getExtensionHandler(getToken());
                    if (handler.getExtensionPoint() != ExtensionPoint.ADD) {
                        return v;
                    }
                    boolean keywordArgument = "=".equals(getToken().getImage()) && v instanceof AstIdentifier;
                    consumeToken();
                    if (keywordArgument) {
                        return NamedParameterOperator.HANDLER.createAstNode(v, expr(true));
                    }
                    v = handler.createAstNode(v, mul(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    // Jinjava's mul() with Python's sequence repetition for '*'.
    @Override
    protected AstNode mul(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = filter(required);
        if (v == null) {
            return null;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case MUL -> {
                    consumeToken();
                    v = createAstBinary(v, filter(true), PythonOperators.MUL);
                }
                case DIV -> {
                    consumeToken();
                    v = createAstBinary(v, filter(true), AstBinary.DIV);
                }
                case MOD -> {
                    consumeToken();
                    v = createAstBinary(v, filter(true), AstBinary.MOD);
                }
                case EXTENSION -> {
                    ExtensionHandler handler = getExtensionHandler(getToken());
                    if (handler.getExtensionPoint() != ExtensionPoint.MUL) {
                        return v;
                    }
                    consumeToken();
                    v = handler.createAstNode(v, filter(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    /** Builds {@link PythonExpressionParser}s; used in place of Jinjava's {@link ExtendedSyntaxBuilder}. */
    static final class SyntaxBuilder extends ExtendedSyntaxBuilder {
        SyntaxBuilder() {
            // The features Jinjava's default expression factory enables (JUEL's JEE6 profile).
            super(Feature.METHOD_INVOCATIONS, Feature.VARARGS);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PythonExpressionParser(this, expression);
        }
    }
}
