package dev.cairn.cli;

import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.TemplateException;
import dev.cairn.engine.Engine;
import dev.cairn.engine.EngineEvent;
import dev.cairn.engine.GenerationHandle;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.engine.RequestRejectedException;
import dev.cairn.engine.SamplingParams;
import dev.cairn.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A running conversation with one model: renders it with the model's chat template, drops the oldest turns when it
 * no longer fits the context (the system prompt stays), streams the answer to {@code out} and the prefill bar and
 * notices to {@code err}. {@link #cancelCurrent()} (Ctrl-C) ends the answer in progress, not the session.
 */
public final class ChatSession {
    /** How an answer ended, with the engine's figures (absent when it never started). */
    public record Answer(String text, EngineEvent.Done done, String error) {
        public boolean cancelled() {
            return done != null && done.reason() == EngineEvent.FinishReason.CANCELLED;
        }
    }

    private final Engine engine;
    private final int ctxSize;
    private final String system;
    private final SamplingParams sampling;
    private final int maxTokens;
    private final PrintStream out;
    private final PrintStream err;
    private final List<ChatMessage> turns = new ArrayList<>();
    private final boolean drawBars;
    private volatile GenerationHandle current;
    private volatile boolean cancelRequested;
    private int asked;

    /** @param maxTokens answer length limit; it also reserves that much room (up to a quarter of the context) */
    /** @param drawBars draw the prefill bar on {@code err} (only when that is a terminal) */
    public ChatSession(Engine engine, int ctxSize, String system, SamplingParams sampling, int maxTokens,
                       PrintStream out, PrintStream err, boolean drawBars) {
        this.drawBars = drawBars;
        this.engine = engine;
        this.ctxSize = ctxSize;
        this.system = system == null || system.isBlank() ? null : system;
        this.sampling = sampling;
        this.maxTokens = maxTokens;
        this.out = out;
        this.err = err;
    }

    public List<ChatMessage> turns() {
        return List.copyOf(turns);
    }

    /** Forgets the conversation (the system prompt stays). */
    public void reset() {
        turns.clear();
    }

    /** True while an answer is being produced (Ctrl-C then cancels it instead of quitting). */
    public boolean busy() {
        return current != null;
    }

    /** Stops the answer in progress within one prefill chunk or decode step; false when there is none. */
    public boolean cancelCurrent() {
        GenerationHandle h = current;
        cancelRequested = true;
        if (h == null) {
            return false;
        }
        h.cancel();
        return true;
    }

    /** Asks one question and streams the answer; blocks until it is done, failed or cancelled. */
    public Answer ask(String userText) throws InterruptedException {
        cancelRequested = false;
        turns.add(new ChatMessage("user", userText));
        int[] prompt;
        try {
            prompt = fitPrompt();
        } catch (RequestRejectedException | TemplateException e) {
            turns.removeLast();
            err.println("error: " + e.getMessage());
            return new Answer("", null, e.getMessage());
        }
        int room = ctxSize - prompt.length;
        GenerationRequest request = new GenerationRequest("chat-" + (++asked), prompt, sampling,
                Math.max(1, Math.min(maxTokens, room)), List.of());
        BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
        ProgressBar bar = new ProgressBar(err, "Prompt", ProgressBar.Unit.TOKENS, drawBars);
        StringBuilder text = new StringBuilder();
        try {
            current = engine.submit(request, events::add);
        } catch (RequestRejectedException e) {
            turns.removeLast();
            err.println("error: " + e.getMessage());
            return new Answer("", null, e.getMessage());
        }
        if (cancelRequested) {
            current.cancel(); // Ctrl-C arrived between the question and the submit
        }
        try {
            while (true) {
                EngineEvent ev = events.take();
                switch (ev) {
                    case EngineEvent.Queued q -> {
                    }
                    case EngineEvent.PrefillProgress p -> bar.update(p.processedTokens(), p.totalTokens(),
                            p.tokensPerSecond(), p.etaMs());
                    case EngineEvent.Token t -> {
                        bar.clear();
                        out.print(t.text());
                        out.flush();
                        text.append(t.text());
                    }
                    case EngineEvent.Done d -> {
                        bar.clear();
                        return finished(text.toString(), d);
                    }
                    case EngineEvent.Error e -> {
                        bar.clear();
                        turns.removeLast();
                        err.println("error: " + e.message());
                        return new Answer(text.toString(), null, e.message());
                    }
                }
            }
        } finally {
            current = null;
        }
    }

    private Answer finished(String text, EngineEvent.Done d) {
        if (!text.isEmpty()) {
            out.println();
            out.flush();
        }
        if (d.reason() == EngineEvent.FinishReason.CANCELLED) {
            err.println(text.isEmpty() ? "[stopped before the answer started]" : "[stopped]");
        } else if (d.reason() == EngineEvent.FinishReason.LENGTH && d.promptTokens() + d.generatedTokens() >= ctxSize) {
            err.println("[the answer filled the " + ctxSize + "-token context]");
        }
        if (text.isEmpty()) {
            turns.removeLast(); // an unanswered question would make the next prompt hold two user turns in a row
        } else {
            turns.add(new ChatMessage("assistant", text));
        }
        return new Answer(text, d, null);
    }

    /** One line of figures for after an answer: tokens, time to first token, prefill and decode rates. */
    public static String stats(EngineEvent.Done d) {
        List<String> parts = new ArrayList<>();
        parts.add(d.generatedTokens() + " tokens");
        int fresh = d.promptTokens() - d.cachedTokens();
        parts.add("prompt " + d.promptTokens() + (d.cachedTokens() > 0 ? " (" + d.cachedTokens() + " cached)" : ""));
        if (d.prefillMs() > 0 && fresh > 0) {
            parts.add(String.format(Locale.ROOT, "prefill %.0f tok/s", fresh * 1000.0 / d.prefillMs()));
        }
        if (d.decodeMs() > 0 && d.generatedTokens() > 1) {
            parts.add(String.format(Locale.ROOT, "decode %.1f tok/s", (d.generatedTokens() - 1) * 1000.0 / d.decodeMs()));
        }
        return "[" + String.join(" · ", parts) + "]";
    }

    /**
     * The prompt for the conversation, dropping the oldest user/assistant turns (never the system prompt or the new
     * question) until it leaves room for an answer; says so when it dropped any.
     */
    private int[] fitPrompt() {
        int reserve = Math.max(1, Math.min(maxTokens, ctxSize / 4));
        int dropped = 0;
        while (true) {
            int[] prompt = tokens();
            if (prompt.length + reserve <= ctxSize || turns.size() == 1) {
                if (dropped > 0) {
                    err.println("[dropped the " + dropped + " oldest message" + (dropped == 1 ? "" : "s")
                            + " to fit the " + ctxSize + "-token context; the system prompt is kept]");
                }
                if (prompt.length >= ctxSize) {
                    throw new RequestRejectedException("this message is " + prompt.length + " tokens with the chat"
                            + " template, and the context holds " + ctxSize + "; shorten it or use --ctx-size");
                }
                return prompt;
            }
            // drop through the next user turn so the conversation still starts with a question
            int next = 1;
            while (next < turns.size() - 1 && !turns.get(next).role().equals("user")) {
                next++;
            }
            turns.subList(0, next).clear();
            dropped += next;
        }
    }

    private int[] tokens() {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(new ChatMessage("system", system));
        }
        messages.addAll(turns);
        ChatTemplate template = engine.model().template();
        if (template == null) {
            throw new RequestRejectedException("the model has no chat template; use `cairn generate` for plain text");
        }
        Tokenizer tokenizer = engine.model().tokenizer();
        String text = template.renderForTokenizer(messages, true, Map.of());
        int[] ids = tokenizer.encode(text, true, true);
        int bos = tokenizer.bosId();
        if (ids.length >= 2 && bos >= 0 && ids[0] == bos && ids[1] == bos) {
            ids = Arrays.copyOfRange(ids, 1, ids.length); // the template wrote BOS and the tokenizer added one
        }
        return ids;
    }
}
