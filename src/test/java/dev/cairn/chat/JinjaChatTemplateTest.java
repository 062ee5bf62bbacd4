package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JinjaChatTemplateTest {
    private static final String TURNS =
            "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}";
    private static final List<ChatMessage> CHAT = List.of(
            new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello"), new ChatMessage("user", "Bye"));

    private static String render(String template, List<ChatMessage> messages) {
        return ChatTemplates.fromString(template, "<s>", "</s>").render(messages, true, Map.of());
    }

    @Test
    void rendersVariablesAndGenerationPrompt() {
        ChatTemplate t = ChatTemplates.fromString("{{ bos_token }}" + TURNS + "{{ eos_token }}", "<s>", "</s>");
        assertThat(t.render(CHAT, true, Map.of()))
                .isEqualTo("<s><system>Be brief.<user>Hi<assistant>Hello<user>Bye<assistant></s>");
        assertThat(t.render(CHAT, false, Map.of()))
                .isEqualTo("<s><system>Be brief.<user>Hi<assistant>Hello<user>Bye</s>");
    }

    @Test
    void templateMarkupInsideAMessageIsPrintedAsWritten() {
        // Claude Code's system prompt holds lines like "{{one-line summary, ...}}": jinja2 prints them as text.
        ChatTemplate t = ChatTemplates.fromString(TURNS, "", "");
        String text = "fill {{ 1 + 1 }} and {{one-line summary, be specific}} {% if x %}";
        assertThat(t.render(List.of(new ChatMessage("user", text)), false, Map.of())).isEqualTo("<user>" + text);
    }

    @Test
    void extraArgumentsReachTheTemplate() {
        String template = "{{ messages[0].content }}{% if enable_thinking is defined and enable_thinking is false %}"
                + "<think></think>{% endif %}{{ custom }}";
        ChatTemplate t = ChatTemplates.fromString(template, "", "");
        assertThat(t.render(CHAT, true, Map.of("enable_thinking", false, "custom", "!"))).isEqualTo("Be brief.<think></think>!");
        assertThat(t.render(CHAT, true, Map.of("enable_thinking", true))).isEqualTo("Be brief.");
        assertThat(t.render(CHAT, true, Map.of())).isEqualTo("Be brief.");
    }

    @Test
    void raiseExceptionBecomesTemplateExceptionWithTheTemplatesMessage() {
        // (Not a tool turn: a template that does not show tool results gets them as user turns.)
        String template = "{{ messages[0].content }}{% for m in messages %}{% if m.role == 'function' %}"
                + "{{ raise_exception('Function role is not supported: ' + m.content) }}{% endif %}{% endfor %}ok";
        ChatTemplate t = ChatTemplates.fromString(template, "", "");
        assertThat(t.render(CHAT, true, Map.of())).isEqualTo("Be brief.ok");
        assertThatThrownBy(() -> t.render(List.of(new ChatMessage("user", "x"), new ChatMessage("function", "42")), true, Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Function role is not supported: 42");
    }

    @Test
    void syntaxErrorsAreTemplateExceptions() {
        assertThatThrownBy(() -> ChatTemplates.fromString("{% for m in messages %}{{ m.content }}", "", ""))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("endfor");
        assertThatThrownBy(() -> render("{{ messages[0].content }}{{ 1 + }}", CHAT))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("chat template error");
        assertThatThrownBy(() -> render("{{ messages[0].content }}{{ 'a'.nosuchmethod() }}", CHAT))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("nosuchmethod");
        assertThatThrownBy(() -> ChatTemplates.fromString("{{ messages[0].content | nosuchfilter }}", "", ""))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("no filter named 'nosuchfilter'");
        assertThatThrownBy(() -> ChatTemplates.fromString("{# never closed", "", ""))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("comment");
    }

    @Test
    void runtimeErrorsSayWhatWentWrong() {
        assertThatThrownBy(() -> ChatTemplates.fromString("{{ messages[0].content }}{% if x is nosuchtest %}{% endif %}", "", ""))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("no test named 'nosuchtest'");
        // jinja2 refuses str + None; Jinjava would print "null" into the prompt.
        assertThatThrownBy(() -> render("{{ messages[0].content }}{{ 'a' + nothing }}", CHAT))
                .isInstanceOf(TemplateException.class)
                .hasMessage("chat template error (line 1): can only concatenate str (not \"NoneType\") to str: "
                        + "a value added to text is None or undefined");
        assertThatThrownBy(() -> render("{{ messages[0].content }}\n{{ messages[0].content.index('zz') }}", CHAT))
                .isInstanceOf(TemplateException.class)
                .hasMessage("chat template error (line 2): substring not found");
    }

    @Test
    void systemMessageIsKeptWhenTheTemplateRendersIt() {
        JinjaChatTemplate t = new JinjaChatTemplate(TURNS, "", "");
        assertThat(t.supportsSystemRole()).isTrue();
        assertThat(t.render(CHAT, true, Map.of())).startsWith("<system>Be brief.<user>Hi");
        // Printing the system text transformed (here upper-cased) still counts as keeping it.
        JinjaChatTemplate upper = new JinjaChatTemplate("{% for m in messages %}{{ m.content|upper }};{% endfor %}", "", "");
        assertThat(upper.supportsSystemRole()).isTrue();
        assertThat(upper.render(CHAT, true, Map.of())).isEqualTo("BE BRIEF.;HI;HELLO;BYE;");
    }

    @Test
    void systemMessageIsMergedWhenTheTemplateRefusesIt() {
        String refusing = "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}"
                + "{% endif %}[{{ m.role }}: {{ m.content }}]{% endfor %}";
        JinjaChatTemplate t = new JinjaChatTemplate(refusing, "", "");
        assertThat(t.supportsSystemRole()).isFalse();
        assertThat(t.render(CHAT, false, Map.of()))
                .isEqualTo("[user: Be brief.\nHi][assistant: Hello][user: Bye]");
    }

    @Test
    void systemMessageIsMergedWhenTheTemplateSilentlyDropsIt() {
        String dropping = "{% for m in messages %}{% if m.role != 'system' %}[{{ m.role }}: {{ m.content }}]{% endif %}{% endfor %}";
        JinjaChatTemplate t = new JinjaChatTemplate(dropping, "", "");
        assertThat(t.supportsSystemRole()).isFalse();
        assertThat(t.render(CHAT, false, Map.of()))
                .isEqualTo("[user: Be brief.\nHi][assistant: Hello][user: Bye]");
        // Without a system message nothing changes.
        assertThat(t.render(CHAT.subList(1, 4), false, Map.of())).isEqualTo("[user: Hi][assistant: Hello][user: Bye]");
    }

    @Test
    void systemOnlyConversationBecomesAUserTurnForTemplatesWithoutSystemRole() {
        String dropping = "{% for m in messages %}{% if m.role != 'system' %}[{{ m.role }}: {{ m.content }}]{% endif %}{% endfor %}";
        assertThat(render(dropping, List.of(new ChatMessage("system", "Only this")))).isEqualTo("[user: Only this]");
    }

    @Test
    void strftimeNowIsDefinedAndFormatsTheCurrentDate() {
        String template = "{{ messages[0].content }}|{% if strftime_now is defined %}{{ strftime_now('%d %b %Y') }}{% endif %}";
        String before = LocalDate.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH));
        String out = render(template, CHAT);
        String after = LocalDate.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH));
        assertThat(out).isIn("Be brief.|" + before, "Be brief.|" + after);
    }

    @Test
    void renderForTokenizerDropsLeadingBosAndTrailingEosText() {
        ChatTemplate t = ChatTemplates.fromString("{{ bos_token }}{{ messages[0].content }}{{ eos_token }}", "<s>", "</s>");
        assertThat(t.render(CHAT, true, Map.of())).isEqualTo("<s>Be brief.</s>");
        assertThat(t.renderForTokenizer(CHAT, true, Map.of())).isEqualTo("Be brief.");
        ChatTemplate noBos = ChatTemplates.fromString("{{ messages[0].content }}", "", "");
        assertThat(noBos.renderForTokenizer(CHAT, true, Map.of())).isEqualTo("Be brief.");
    }

    @Test
    void aParsedTemplateIsReusableAcrossRendersAndThreads() throws Exception {
        // Renders share the parsed tree and a root context; concurrent renders must give the sequential results.
        ChatTemplate qwen3 = ChatTemplates.fromString(ChatTemplateConformanceTest.text("Qwen-Qwen3-8B.jinja"), "", "<|im_end|>");
        int threads = 4;
        int perThread = 40;
        String[][] expected = new String[threads][perThread];
        for (int k = 0; k < threads; k++) {
            for (int j = 0; j < perThread; j++) {
                expected[k][j] = qwen3.render(conversation(k, j), true, Map.of("enable_thinking", j % 2 == 0));
            }
        }
        String[][] actual = new String[threads][perThread];
        Thread[] workers = new Thread[threads];
        for (int k = 0; k < threads; k++) {
            int t = k;
            workers[k] = new Thread(() -> {
                for (int j = 0; j < perThread; j++) {
                    actual[t][j] = qwen3.render(conversation(t, j), true, Map.of("enable_thinking", j % 2 == 0));
                }
            });
            workers[k].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(actual).isDeepEqualTo(expected);
        assertThat(expected[3][5]).contains("<|im_start|>system\nsystem 3<|im_end|>").contains("question 5").contains("<think>");
    }

    private static List<ChatMessage> conversation(int thread, int turn) {
        return List.of(new ChatMessage("system", "system " + thread), new ChatMessage("user", "hello"),
                new ChatMessage("assistant", "<think>\nhmm\n</think>\n\nhi " + thread),
                new ChatMessage("user", "question " + turn));
    }
}
