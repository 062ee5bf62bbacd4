package dev.cairn.chat;

import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 */
public final class JinjaChatTemplate implements ChatTemplate {
    private static final String PROBE_SYSTEM = "cairn-probe-system-7f3a9c";
    private static final String PROBE_USER = "cairn-probe-user-2b8e41";

    private final String bosToken;
    private final String eosToken;
    private final String source;
    private final Node root;
    private final boolean systemSupported;

    public JinjaChatTemplate(String template, String bosToken, String eosToken) {
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.source = template;
        this.root = parse(template);
        this.systemSupported = probeSystemSupport();
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

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraArgs) {
        List<ChatMessage> effective = systemSupported ? messages : SystemMessageMerger.merge(messages);
        return renderRaw(effective, addGenerationPrompt, extraArgs);
    }

    private String renderRaw(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraArgs) {
        Map<String, Object> bindings = new HashMap<>();
        if (extraArgs != null) {
            bindings.putAll(extraArgs);
        }
        List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            msgs.add(map);
        }
        bindings.put("messages", msgs);
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
        try {
            // Case-insensitive: some templates upper-case or capitalise what they print.
            return renderRaw(probe, true, Map.of()).toLowerCase(java.util.Locale.ROOT).contains(PROBE_SYSTEM);
        } catch (TemplateException e) {
            return false;
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
