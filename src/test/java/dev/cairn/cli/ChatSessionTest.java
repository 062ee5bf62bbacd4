package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.chat.ChatMessage;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.LocalEngine;
import dev.cairn.engine.ModelBundle;
import dev.cairn.engine.ModelBundles;
import dev.cairn.engine.SamplingParams;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The terminal chat on the real aidreams260K model (128-token context, so trimming is easy to reach). */
class ChatSessionTest {
    static ModelBundle bundle;
    static LocalEngine engine;

    static Path aidreams() throws Exception {
        return Path.of(ChatSessionTest.class.getResource("/models/aidreams260K-f32.gguf").toURI());
    }

    @BeforeAll
    static void load() throws Exception {
        EngineOptions options = new EngineOptions(1, 8, 0, 1);
        bundle = ModelBundles.load(aidreams(), null, options);
        engine = new LocalEngine(bundle, options);
    }

    @AfterAll
    static void close() {
        engine.close();
        bundle.close();
    }

    static final class Capture {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    ChatSession session(String system, int maxTokens, PrintStream out, PrintStream err) {
        return new ChatSession(engine, engine.ctxSize(), system, SamplingParams.greedy(), maxTokens, out, err, true);
    }

    @Test
    void drawsThePrefillBarInPlaceAndErasesItBeforeTheAnswer() throws Exception {
        Capture both = new Capture(); // one stream, so the order of bar and answer is visible
        ChatSession s = session(null, 12, both.stream, both.stream);
        ChatSession.Answer a = s.ask("I dreamed of a machine that hums quietly in the night and counts the stars");
        String t = both.text();

        assertThat(a.done().generatedTokens()).isEqualTo(12);
        int prompt = a.done().promptTokens();
        assertThat(prompt).isGreaterThan(16); // several chunks of 8
        assertThat(t).startsWith("\rPrompt ▕").contains("/" + prompt + " tok").contains(prompt + "/" + prompt + " tok  100%");
        int erase = t.indexOf("\r\u001b[K");
        assertThat(erase).isGreaterThan(t.lastIndexOf("\rPrompt"));
        assertThat(t.substring(erase + 4)).isEqualTo(a.text() + "\n");
        assertThat(a.text()).isNotBlank();
        assertThat(s.turns()).extracting(ChatMessage::role).containsExactly("user", "assistant");
        assertThat(ChatSession.stats(a.done())).startsWith("[12 tokens · prompt " + prompt);
    }

    @Test
    void statsLineGivesRatesFromTheDoneEventTimings() {
        // Rates come from the engine's timings; a 260K model can decode 12 tokens in under a millisecond, so the
        // figures are checked on fixed timings rather than on a live run.
        var done = new EngineEvent.Done("r", EngineEvent.FinishReason.EOS, null, 120, 20, 11, 50, 500);
        assertThat(ChatSession.stats(done)).isEqualTo("[11 tokens · prompt 120 (20 cached) · prefill 2000 tok/s · decode 20.0 tok/s]");
        var instant = new EngineEvent.Done("r", EngineEvent.FinishReason.EOS, null, 10, 0, 5, 0, 0);
        assertThat(ChatSession.stats(instant)).isEqualTo("[5 tokens · prompt 10]");
    }

    @Test
    void dropsTheOldestTurnsWhenTheConversationOutgrowsTheContext() throws Exception {
        Capture out = new Capture();
        Capture err = new Capture();
        ChatSession s = session("You dream.", 16, out.stream, err.stream);
        String q = "I dreamed of";
        s.ask(q + " one");
        assertThat(err.text()).doesNotContain("dropped");
        ChatSession.Answer third = null;
        int asked = 1;
        while (!err.text().contains("dropped") && asked < 6) {
            third = s.ask(q + " " + (++asked));
        }
        assertThat(asked).as("asks until the context was full").isBetween(2, 5);
        assertThat(third.error()).isNull();
        assertThat(err.text()).containsPattern("\\[dropped the \\d+ oldest messages to fit the 128-token context; the system prompt is kept]");
        assertThat(s.turns().getFirst().role()).isEqualTo("user");
        assertThat(s.turns().getLast().role()).isEqualTo("assistant");
        assertThat(s.turns()).extracting(ChatMessage::content).doesNotContain(q + " one").contains(q + " " + asked);
        assertThat(third.done().promptTokens() + 16).isLessThanOrEqualTo(128);
    }

    @Test
    void aMessageLongerThanTheContextIsRefusedAndTheSessionGoesOn() throws Exception {
        Capture err = new Capture();
        ChatSession s = session(null, 8, new Capture().stream, err.stream);
        ChatSession.Answer a = s.ask("dream ".repeat(300));
        assertThat(a.error()).matches("this message is \\d+ tokens with the chat template, and the context holds 128;.*");
        assertThat(err.text()).startsWith("error: this message is");
        assertThat(s.turns()).isEmpty();
        assertThat(s.ask("hello").error()).isNull();
    }

    @Test
    void cancellingStopsThatAnswerOnlyAndKeepsTheSessionUsable() throws Exception {
        Capture err = new Capture();
        ChatSession[] holder = new ChatSession[1];
        // the "user" presses Ctrl-C as soon as the first answer text reaches the terminal
        PrintStream out = new PrintStream(new OutputStream() {
            boolean pressed;

            @Override
            public void write(int b) {
                if (!pressed) {
                    pressed = true;
                    assertThat(holder[0].busy()).isTrue();
                    holder[0].cancelCurrent();
                }
            }
        }, true, StandardCharsets.UTF_8);
        ChatSession s = session(null, 100, out, err.stream);
        holder[0] = s;
        ChatSession.Answer a = s.ask("I dreamed of a");
        assertThat(a.cancelled()).isTrue();
        assertThat(a.done().generatedTokens()).isLessThan(100);
        assertThat(err.text()).contains("[stopped]");
        assertThat(s.busy()).isFalse();
        assertThat(s.cancelCurrent()).isFalse();

        ChatSession.Answer next = session(null, 5, new Capture().stream, err.stream).ask("The machine");
        assertThat(next.cancelled()).isFalse();
        assertThat(next.done().generatedTokens()).isEqualTo(5);
    }
}
