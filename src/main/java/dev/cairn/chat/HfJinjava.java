package dev.cairn.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.Map;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * The one Jinjava instance configured the way Hugging Face renders chat templates: {@code trim_blocks},
 * {@code lstrip_blocks}, Python operator precedence, Python string/dict methods, {@code raise_exception},
 * {@code strftime_now} and transformers' {@code tojson}. Shared by all templates (Jinjava is thread-safe once built).
 */
final class HfJinjava {
    static final Jinjava INSTANCE = create();

    // Parent of every render's context: holds the built-in and added filters, tests, functions and tags, so a render
    // does not copy them (Jinjava's own renderForResult copies ~200 library entries per render).
    private static final Context BASE = new SharedBaseContext(INSTANCE.getGlobalContext());

    private HfJinjava() {
    }

    /** A fresh interpreter for one parse or render, with {@code bindings} as its top-level variables. */
    static JinjavaInterpreter newInterpreter(Map<String, ?> bindings) {
        JinjavaConfig config = INSTANCE.getGlobalConfig();
        Context context = new Context(BASE, bindings, config.getDisabled());
        return config.getInterpreterFactory().newInstance(INSTANCE, context, config);
    }

    /**
     * A root context shared by concurrent renders. Jinjava records resolved names up the parent chain for its
     * dependency tracking, which cairn does not use; on a shared root that would grow without bound and race, so the
     * root ignores them. Everything else renders write goes into their own child contexts.
     */
    private static final class SharedBaseContext extends Context {
        SharedBaseContext(Context registrations) {
            super(null, null, null);
            registrations.getAllFilters().forEach(this::registerFilter);
            registrations.getAllExpTests().forEach(this::registerExpTest);
            registrations.getAllFunctions().forEach(this::registerFunction);
            registrations.getAllTags().forEach(this::registerTag);
        }

        @Override
        public void addResolvedExpression(String expression) {
        }

        @Override
        public void addResolvedValue(String value) {
        }

        @Override
        public void addResolvedFunction(String function) {
        }
    }

    private static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                // trim_blocks/lstrip_blocks and '-' markers are applied before parsing (JinjaWhitespace).
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withElResolver(resolver)
                .withMaxOutputSize(64L << 20)
                // jinja2's sandbox allows ranges up to 100000 items and recursive macros; Jinjava's defaults are
                // 1000 (silently truncated) and no recursion.
                .withRangeLimit(100_000)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(200)
                // Jinjava would render "{{ ... }}" found inside a variable's value (a message's text) as template
                // code; jinja2 prints values as they are. Coding agents' prompts hold such text.
                .withNestedInterpretationEnabled(false)
                .withInterperterFactory(new PythonInterpreter.Factory())
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .withIterateOverMapKeys(true)
                        .build())
                .build();
        Jinjava jinjava = new PythonPrecedenceJinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                TemplateFunctions.class, "raiseException", Object.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                TemplateFunctions.class, "strftimeNow", String.class));
        jinjava.getGlobalContext().registerFilter(new JsonFilter());
        PythonFilters.all().forEach(jinjava.getGlobalContext()::registerFilter);
        PythonTests.all().forEach(jinjava.getGlobalContext()::registerExpTest);
        jinjava.getGlobalContext().registerTag(new PythonForTag());
        jinjava.getGlobalContext().registerTag(new GenerationTag());
        jinjava.getGlobalContext().registerTag(new FilterBlockTag());
        return jinjava;
    }

    /** Jinjava whose expressions are parsed by {@link PythonExpressionParser}. */
    private static final class PythonPrecedenceJinjava extends Jinjava {
        private final ExpressionFactory expressions = new ExpressionFactoryImpl(
                new TreeStore(new PythonExpressionParser.SyntaxBuilder(), new Cache(2000)), new TruthyTypeConverter());

        PythonPrecedenceJinjava(JinjavaConfig config) {
            super(config);
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return expressions;
        }
    }
}
