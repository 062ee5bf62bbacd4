package dev.cairn.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
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

    private HfJinjava() {
    }

    private static Jinjava create() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withMaxOutputSize(64L << 20)
                // jinja2's sandbox allows ranges up to 100000 items and recursive macros; Jinjava's defaults are
                // 1000 (silently truncated) and no recursion.
                .withRangeLimit(100_000)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(200)
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
        jinjava.getGlobalContext().registerFilter(new ItemsFilter());
        jinjava.getGlobalContext().registerTag(new PythonForTag());
        jinjava.getGlobalContext().registerTag(new GenerationTag());
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
