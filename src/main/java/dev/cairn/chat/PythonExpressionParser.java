package dev.cairn.chat;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.NamedParameterOperator;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
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
 * <p>{@code and} gives an operand, not a boolean ({@code 'a' and 'b'} is 'b'), as in Python.
 *
 * <p>Also: a keyword argument's value is a whole expression ({@code namespace(n=messages|length - 1)}); Jinjava binds
 * {@code name=} tighter than {@code +}/{@code -} and would compute {@code (n=messages|length) - 1}.
 */
final class PythonExpressionParser extends ExtendedParser {
    PythonExpressionParser(Builder context, String input) {
        super(context, input);
    }

    @Override
    protected AstNode and(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = eq(required);
        if (v == null) {
            return null;
        }
        while (true) {
            if (getToken().getSymbol() == Scanner.Symbol.AND) {
                consumeToken();
                v = createAstBinary(v, eq(true), PythonOperators.AND);
            } else if (getToken().getSymbol() == Scanner.Symbol.EXTENSION
                    && getExtensionHandler(getToken()).getExtensionPoint() == ExtensionPoint.AND) {
                v = getExtensionHandler(consumeToken()).createAstNode(v, eq(true));
            } else {
                return v;
            }
        }
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
                    String image = getToken().getImage();
                    boolean keywordArgument = "=".equals(image) && v instanceof AstIdentifier;
                    consumeToken();
                    if (keywordArgument) {
                        return NamedParameterOperator.HANDLER.createAstNode(v, expr(true));
                    }
                    v = "~".equals(image) ? createAstBinary(v, mul(true), PythonOperators.CONCAT)
                            : handler.createAstNode(v, mul(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    // Jinja applies filters and tests left to right: "x|trim is string". Jinjava stops after the filters.
    @Override
    protected AstNode filter(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = super.filter(required);
        while (v != null && isFilterOrTest()) {
            v = operators(v);
        }
        return v;
    }

    private boolean isFilterOrTest() throws Scanner.ScanException, Parser.ParseException {
        String image = getToken().getImage();
        return ("|".equals(image) && lookahead(0).getSymbol() == Scanner.Symbol.IDENTIFIER)
                || ("is".equals(image) && lookahead(0).getSymbol() != Scanner.Symbol.EOF);
    }

    // ExtendedParser.parseOperators (private): one run of filters, or one test.
    private AstNode operators(AstNode left) throws Scanner.ScanException, Parser.ParseException {
        try {
            return (AstNode) PARSE_OPERATORS.invoke(this, left);
        } catch (Scanner.ScanException | Parser.ParseException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final MethodHandle PARSE_OPERATORS = parseOperatorsHandle();

    private static MethodHandle parseOperatorsHandle() {
        try {
            Method m = ExtendedParser.class.getDeclaredMethod("parseOperators", AstNode.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Jinjava's ExtendedParser.parseOperators not found", e);
        }
    }

    // Jinjava's mul() with Python's sequence repetition for '*' and string formatting for '%'.
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
                    v = createAstBinary(v, filter(true), PythonOperators.MOD);
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
