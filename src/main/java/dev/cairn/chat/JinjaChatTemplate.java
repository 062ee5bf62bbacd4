package dev.cairn.chat;

import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face chat template (Jinja) rendered with Jinjava with HF semantics: variables {@code messages},
 * {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} plus any extra arguments; see {@link HfJinjava}
 * for the environment. The template is parsed once and rendered per request.
 *
 * <p>System messages: if the template refuses a system message (raise_exception) or silently drops it, which a probe
 * render at construction detects, a leading system message is merged into the first user turn
 * ({@code system + "\n" + user}), as llama.cpp does, so the user's system prompt is never lost.
 *
 * <p>Tools: probe renders at construction find what the template shows by itself (as llama.cpp's minja does): the
 * tools, assistant calls (with arguments as an object, Hugging Face's way, or else as JSON text), tool results. What
 * it does not show is given to it as llama.cpp's generic format does ({@link GenericToolPrompt}).
 */
public final class JinjaChatTemplate implements ChatTemplate {
    private static final String PROBE_SYSTEM = "cairn-probe-system-7f3a9c";
    private static final String PROBE_USER = "cairn-probe-user-2b8e41";
    private static final String PROBE_TOOL = "cairn_probe_tool_5d1e";
    private static final String PROBE_ARGUMENT = "cairn_probe_argument";
    private static final String PROBE_RESULT = "cairn-probe-result-3e9a";

    private final String bosToken;
    private final String eosToken;
    private final String source;
    private final Node root;
    private final boolean systemSupported;
    private final ToolSupport toolSupport;

    /**
     * What the template shows by itself.
     *
     * @param tools           the {@code tools} variable
     * @param calls           assistant {@code tool_calls}
     * @param objectArguments calls are shown with arguments given as an object (otherwise as JSON text)
     * @param results         tool turns
     * @param nullContent     an assistant turn holding only calls shows differently when its content is None
     *                        (DeepSeek-R1 shows calls only then), so it gets None; otherwise "", as llama.cpp gives
     */
    record ToolSupport(boolean tools, boolean calls, boolean objectArguments, boolean results, boolean nullContent) {
    }

    public JinjaChatTemplate(String template, String bosToken, String eosToken) {
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.source = template;
        this.root = parse(template);
        this.systemSupported = probeSystemSupport();
        this.toolSupport = probeToolSupport();
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String bosToken() {
        return bosToken;
    }

    @Override
    public String eosToken() {
        return eosToken;
    }

    /** Whether the template keeps a system message itself (otherwise it is merged into the first user turn). */
    public boolean supportsSystemRole() {
        return systemSupported;
    }

    /** Whether the template shows the tools it is given (otherwise they are described in the system prompt). */
    @Override
    public boolean supportsTools() {
        return toolSupport.tools();
    }

    /** What the template shows by itself of tools, calls and results. */
    public ToolSupport toolSupport() {
        return toolSupport;
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraArgs) {
        return render(messages, List.of(), addGenerationPrompt, extraArgs);
    }

    @Override
    public String render(List<ChatMessage> messages, List<ToolSpec> tools, boolean addGenerationPrompt,
                         Map<String, Object> extraArgs) {
        List<ChatMessage> effective = messages;
        List<ToolSpec> given = tools == null ? List.of() : tools;
        if (!given.isEmpty() && !toolSupport.tools()) {
            effective = GenericToolPrompt.describe(effective, given, true);
            given = List.of();
        }
        effective = GenericToolPrompt.historyAsText(effective, !toolSupport.calls(), !toolSupport.results());
        if (!systemSupported) {
            effective = SystemMessageMerger.merge(effective);
        }
        return renderRaw(effective, given.isEmpty() ? null : TemplateInputs.tools(given), toolSupport,
                addGenerationPrompt, extraArgs);
    }

    private String renderRaw(List<ChatMessage> messages, List<Object> tools, ToolSupport shape,
                             boolean addGenerationPrompt, Map<String, Object> extraArgs) {
        Map<String, Object> bindings = new HashMap<>();
        if (extraArgs != null) {
            bindings.putAll(extraArgs);
        }
        List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            msgs.add(TemplateInputs.message(m, shape.objectArguments(), shape.nullContent()));
        }
        bindings.put("messages", msgs);
        if (tools != null) {
            bindings.put("tools", tools);
        }
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        // Templates test "strftime_now is defined" before calling it; a function is not a variable in Jinjava.
        bindings.putIfAbsent("strftime_now", Boolean.TRUE);
        bindings.putIfAbsent("raise_exception", Boolean.TRUE);

        JinjavaInterpreter interpreter = HfJinjava.newInterpreter(bindings);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String out = interpreter.render(root, false);
            failOnErrors(interpreter.getErrorsCopy());
            return out;
        } catch (TemplateException e) {
            throw e;
        } catch (TemplateFunctions.TemplateRaised e) {
            throw new TemplateException(e.getMessage());
        } catch (RuntimeException e) {
            TemplateFunctions.TemplateRaised raised = findRaised(e);
            if (raised != null) {
                throw new TemplateException(raised.getMessage());
            }
            throw new TemplateException("chat template error: " + describe(e), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private static Node parse(String template) {
        if (template == null) {
            throw new TemplateException("no chat template given");
        }
        JinjavaInterpreter interpreter = HfJinjava.newInterpreter(Map.of());
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String processed = TemplatePreprocessor.process(template);
            Node node = interpreter.parse(processed);
            failOnErrors(interpreter.getErrorsCopy());
            // Jinjava renders an unknown filter or test as nothing; jinja2 refuses the template, and so do we.
            for (String filter : TemplatePreprocessor.filterNames(processed)) {
                if (interpreter.getContext().getFilter(filter) == null) {
                    throw new TemplateException("chat template error: no filter named '" + filter + "'");
                }
            }
            for (String test : TemplatePreprocessor.testNames(processed)) {
                if (interpreter.getContext().getExpTest(test) == null) {
                    throw new TemplateException("chat template error: no test named '" + test + "'");
                }
            }
            return node;
        } catch (InterpretException e) {
            throw new TemplateException("chat template syntax error: " + describe(e), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private boolean probeSystemSupport() {
        List<ChatMessage> probe = List.of(new ChatMessage("system", PROBE_SYSTEM), new ChatMessage("user", PROBE_USER));
        // Case-insensitive: some templates upper-case or capitalise what they print.
        return tryRender(probe, null, true, false, true).toLowerCase(java.util.Locale.ROOT).contains(PROBE_SYSTEM);
    }

    private ToolSupport probeToolSupport() {
        ChatMessage user = new ChatMessage("user", PROBE_USER);
        ToolSpec tool = new ToolSpec(PROBE_TOOL, "Some tool.", PROBE_SCHEMA, false);
        boolean tools = tryRender(List.of(user), TemplateInputs.tools(List.of(tool)), true, false, false)
                .contains(PROBE_TOOL);
        ChatMessage call = new ChatMessage("assistant", "", List.of(new ToolCall("call1Abc2", "cairn_probe_call_8c2f",
                "{\"" + PROBE_ARGUMENT + "\": \"x\"}")), null, null, null);
        List<ChatMessage> withCall = List.of(user, call);
        // jinja2 can print a None content as "None" (Command-R+); Jinjava prints nothing, so "differently" suffices.
        boolean nullContent = showsNullDifferently(withCall, true) || showsNullDifferently(withCall, false);
        String asObject = tryRender(withCall, null, true, nullContent, false);
        String asText = tryRender(withCall, null, false, nullContent, false);
        boolean objectArguments = asObject.contains("\"" + PROBE_ARGUMENT + "\":") || !showsArguments(asText);
        boolean calls = showsArguments(asObject) || showsArguments(asText);
        ChatMessage result = new ChatMessage("tool", PROBE_RESULT, List.of(), "call1Abc2", "cairn_probe_call_8c2f", null);
        boolean results = calls && tryRender(List.of(user, call, result), null, objectArguments, nullContent, false)
                .contains(PROBE_RESULT);
        return new ToolSupport(tools, calls, objectArguments, results, nullContent);
    }

    private boolean showsNullDifferently(List<ChatMessage> withCall, boolean objectArguments) {
        String withNull = tryRender(withCall, null, objectArguments, true, false);
        return !withNull.isEmpty() && !withNull.equals(tryRender(withCall, null, objectArguments, false, false));
    }

    private static final com.fasterxml.jackson.databind.JsonNode PROBE_SCHEMA = schema();

    private static com.fasterxml.jackson.databind.JsonNode schema() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    "{\"type\": \"object\", \"properties\": {\"arg\": {\"type\": \"string\"}}, \"required\": [\"arg\"]}");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // As llama.cpp's minja: the arguments shown as JSON or as a Python dict, not escaped inside a string.
    private static boolean showsArguments(String out) {
        return out.contains("\"" + PROBE_ARGUMENT + "\":") || out.contains("'" + PROBE_ARGUMENT + "':");
    }

    /** A probe render; "" when the template fails. */
    private String tryRender(List<ChatMessage> messages, List<Object> tools, boolean objectArguments,
                             boolean nullContent, boolean addGenerationPrompt) {
        try {
            return renderRaw(messages, tools, new ToolSupport(tools != null, true, objectArguments, true, nullContent),
                    addGenerationPrompt, Map.of());
        } catch (TemplateException e) {
            return "";
        }
    }

    /** Jinjava collects errors instead of throwing; a fatal one (or a raise_exception) fails the render. */
    private static void failOnErrors(List<TemplateError> errors) {
        for (TemplateError err : errors) {
            TemplateFunctions.TemplateRaised raised = findRaised(err.getException());
            if (raised != null) {
                throw new TemplateException(raised.getMessage());
            }
        }
        for (TemplateError err : errors) {
            if (err.getSeverity() == TemplateError.ErrorType.FATAL) {
                String where = err.getLineno() > 0 ? " (line " + err.getLineno() + ")" : "";
                // Our own errors (from Python methods and operators) carry a message meant for the user as is.
                TemplateException own = findCause(err.getException(), TemplateException.class);
                throw new TemplateException("chat template error" + where + ": "
                        + (own != null ? own.getMessage() : err.getMessage()));
            }
        }
    }

    private static TemplateFunctions.TemplateRaised findRaised(Throwable t) {
        return findCause(t, TemplateFunctions.TemplateRaised.class);
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
