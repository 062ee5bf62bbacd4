package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.EngineEvent.Done;
import dev.cairn.engine.EngineEvent.FinishReason;
import dev.cairn.engine.EngineEvent.PrefillProgress;
import dev.cairn.model.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on a real model (aidreams260K, F32: llama.cpp's greedy ids are in models/REFERENCE.md): chunked prefill
 * with progress, the prefix cache, cancellation, the queue, parallel slots, stop strings, limits and sampling.
 */
class LocalEngineTest {
    static final Path MODEL = Path.of("src/test/resources/models/aidreams260K-f32.gguf");
    static final String PROMPT = "I dreamed of a";
    static final int[] PROMPT_IDS = {1, 303, 281, 269, 435, 447, 328, 275, 262};
    /** llama.cpp's first 40 greedy ids after PROMPT (REFERENCE.md). */
    static final int[] REFERENCE = {315, 432, 452, 341, 446, 299, 303, 266, 323, 434, 285, 362, 262, 263, 428, 434,
            436, 451, 275, 280, 302, 450, 405, 403, 399, 448, 429, 465, 265, 434, 317, 431, 434, 289, 408, 326, 446, 262,
            279, 438};

    static ModelBundle bundle;
    private LocalEngine engine;

    @BeforeAll
    static void load() {
        bundle = ModelBundles.load(MODEL, null, LoadOptions.defaults().withCtxSize(128).withThreads(2));
    }

    @AfterAll
    static void unload() {
        bundle.close();
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private LocalEngine engine(EngineOptions options) {
        if (engine != null) {
            engine.close();
        }
        engine = new LocalEngine(bundle, options.withCtxSize(128));
        return engine;
    }

    private static GenerationRequest greedy(String id, int[] prompt, int n, String... stop) {
        return new GenerationRequest(id, prompt, SamplingParams.greedy(), n, List.of(stop));
    }

    private static Recorder run(LocalEngine e, GenerationRequest r) {
        Recorder rec = new Recorder();
        e.submit(r, rec);
        rec.awaitDone();
        return rec;
    }

    /** A prompt of about {@code n} tokens of the model's own kind of text. */
    private static int[] longPrompt(int n) {
        String text = "The machine dreamed of a gentle hum of precision, as I sense the nodes align. ".repeat(10);
        int[] ids = bundle.tokenizer().encode(text, true, true);
        assertThat(ids.length).isGreaterThanOrEqualTo(n);
        return Arrays.copyOf(ids, n);
    }

    @Test
    void warmUpLeavesNoTraceInSlotsOrOutput() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(4));
        assertThat(e.warmUp()).isNotNegative();
        Recorder r = run(e, greedy("after-warm-up", PROMPT_IDS, 40));
        assertThat(r.tokenIds()).containsExactly(REFERENCE);
        Done d = (Done) r.snapshot().getLast();
        assertThat(d.cachedTokens()).isZero();
        assertThat(r.progress().getFirst().processedTokens()).isZero();

        LocalEngine busy = engine(EngineOptions.defaults());
        busy.submit(greedy("running", PROMPT_IDS, 100), new Recorder());
        assertThatThrownBy(busy::warmUp).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idsAreBundleFileName() {
        assertThat(bundle.id()).isEqualTo("aidreams260K-f32");
        assertThat(ModelBundles.idFor(MODEL, "dreams")).isEqualTo("dreams");
    }

    @Test
    void greedyOutputEqualsLlamaCppForEveryChunkSizeWithOneProgressEventPerChunk() {
        assertThat(bundle.tokenizer().encode(PROMPT, true, true)).containsExactly(PROMPT_IDS);
        for (int chunk : new int[] {1, 4, 7, 512}) {
            Recorder r = run(engine(EngineOptions.defaults().withPrefillChunk(chunk)), greedy("g" + chunk, PROMPT_IDS, 40));
            assertThat(r.tokenIds()).as("chunk %d", chunk).containsExactly(REFERENCE);

            List<PrefillProgress> p = r.progress();
            int chunks = (PROMPT_IDS.length + chunk - 1) / chunk;
            assertThat(p).hasSize(1 + chunks);
            assertThat(p).extracting(PrefillProgress::processedTokens)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, chunks)
                            .mapToObj(i -> Math.min(i * chunk, PROMPT_IDS.length)).toList());
            assertThat(p).extracting(PrefillProgress::totalTokens).containsOnly(PROMPT_IDS.length);
            assertThat(p.getFirst().tokensPerSecond()).isNull();
            assertThat(p.getFirst().etaMs()).isNull();
            assertThat(p.subList(1, p.size())).allSatisfy(e -> {
                assertThat(e.tokensPerSecond()).isPositive();
                assertThat(e.etaMs()).isNotNull().isNotNegative();
            });
            Done d = (Done) r.snapshot().getLast();
            assertThat(d.reason()).isEqualTo(FinishReason.LENGTH);
            assertThat(d.promptTokens()).isEqualTo(9);
            assertThat(d.generatedTokens()).isEqualTo(40);
        }
    }

    @Test
    void tokenTextIsTheContinuation() {
        Recorder r = run(engine(EngineOptions.defaults()), greedy("t", PROMPT_IDS, 40));
        assertThat(PROMPT + r.text()).startsWith("I dreamed of activation, as I settle into a tapestry of probability.");
    }

    @Test
    void stopStringIsHeldBackAndNotEmitted() {
        List<String> pieces = Collections.synchronizedList(new ArrayList<>());
        Recorder r = new Recorder(ev -> {
            if (ev instanceof EngineEvent.Token t) {
                pieces.add(t.text());
            }
        });
        // "settle into" spans several tokens, so its first ones arrive before it can be decided.
        engine(EngineOptions.defaults()).submit(greedy("s", PROMPT_IDS, 40, "never", "settle into"), r);
        Done d = r.awaitDone();
        assertThat(d.reason()).isEqualTo(FinishReason.STOP);
        assertThat(d.stopString()).isEqualTo("settle into");
        assertThat(r.text()).isEqualTo("ctivation, as I ");
        // Held back, not emitted and retracted: no piece carries "settle", and the token completing the stop adds nothing.
        assertThat(pieces).noneMatch(p -> p.contains("settle"));
        assertThat(pieces.getLast()).isEmpty();
        assertThat(d.generatedTokens()).isEqualTo(pieces.size());
    }

    @Test
    void repeatedPromptReportsCachedTokensAndGivesTheSameOutput() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(16));
        int[] prompt = longPrompt(60);
        Recorder cold = run(e, greedy("cold", prompt, 20));
        assertThat(((Done) cold.snapshot().getLast()).cachedTokens()).isZero();

        Recorder warm = run(e, greedy("warm", prompt, 20));
        Done d = (Done) warm.snapshot().getLast();
        assertThat(d.cachedTokens()).isEqualTo(59);
        assertThat(warm.progress()).extracting(PrefillProgress::processedTokens).containsExactly(59, 60);
        assertThat(warm.progress().getFirst().cachedTokens()).isEqualTo(59);
        assertThat(warm.tokenIds()).containsExactly(cold.tokenIds());

        // A prompt sharing only a start: 40 cached, the other 25 prefilled in two chunks; same ids as a cold run.
        int[] branch = Arrays.copyOf(prompt, 65);
        System.arraycopy(longPrompt(25), 1, branch, 40, 24);
        branch[64] = 300;
        Recorder partly = run(e, greedy("branch", branch, 20));
        assertThat(((Done) partly.snapshot().getLast()).cachedTokens()).isEqualTo(40);
        assertThat(partly.progress()).extracting(PrefillProgress::processedTokens).containsExactly(40, 56, 65);
        Recorder fresh = run(engine(EngineOptions.defaults().withPrefillChunk(16)), greedy("fresh", branch, 20));
        assertThat(((Done) fresh.snapshot().getLast()).cachedTokens()).isZero();
        assertThat(partly.tokenIds()).containsExactly(fresh.tokenIds());
    }

    @Test
    void cancelMidPrefillStopsWithinOneChunkAndFreesTheSlot() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(8));
        GenerationHandle[] handle = new GenerationHandle[1];
        CountDownLatch submitted = new CountDownLatch(1);
        Recorder r = new Recorder(ev -> {
            if (ev instanceof PrefillProgress p && p.processedTokens() == 16) {
                await(submitted);
                handle[0].cancel();
            }
        });
        handle[0] = e.submit(greedy("c", longPrompt(100), 10), r);
        submitted.countDown();
        Done d = r.awaitDone();
        assertThat(d.reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.progress()).extracting(PrefillProgress::processedTokens).containsExactly(0, 8, 16);
        assertThat(r.tokenIds()).isEmpty();
        assertThat(e.requests()).isEmpty();

        Recorder next = run(e, greedy("next", PROMPT_IDS, 40));
        assertThat(next.queuePositions()).isEmpty();
        assertThat(next.tokenIds()).containsExactly(REFERENCE);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void queuedRequestsGetPositionsOneToKAndAllFinish() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(4));
        CountDownLatch release = new CountDownLatch(1);
        Recorder head = new Recorder(ev -> {
            if (ev instanceof PrefillProgress p && p.processedTokens() == 0) {
                await(release);
            }
        });
        e.submit(greedy("head", PROMPT_IDS, 5), head);
        List<Recorder> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Recorder r = new Recorder();
            waiting.add(r);
            e.submit(greedy("w" + i, PROMPT_IDS, 5 + i), r);
        }
        release.countDown();
        head.awaitDone();
        waiting.forEach(Recorder::awaitDone);
        assertThat(head.queuePositions()).isEmpty();
        assertThat(waiting.get(0).queuePositions()).containsExactly(1);
        assertThat(waiting.get(1).queuePositions()).containsExactly(2, 1);
        assertThat(waiting.get(2).queuePositions()).containsExactly(3, 2, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(waiting.get(i).tokenIds()).containsExactly(Arrays.copyOf(REFERENCE, 5 + i));
        }
    }

    @Test
    void twoParallelSlotsBothProgress() {
        LocalEngine e = engine(EngineOptions.defaults().withParallel(2).withPrefillChunk(8));
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch both = new CountDownLatch(1);
        Recorder a = new Recorder(ev -> {
            if (ev instanceof PrefillProgress p && p.processedTokens() == 0) {
                await(both);
            }
            order.add("a:" + ev.getClass().getSimpleName());
        });
        Recorder b = new Recorder(ev -> order.add("b:" + ev.getClass().getSimpleName()));
        e.submit(greedy("a", longPrompt(48), 20), a);
        e.submit(greedy("b", PROMPT_IDS, 40), b);
        both.countDown();
        a.awaitDone();
        b.awaitDone();
        assertThat(b.queuePositions()).isEmpty();
        // b starts and produces tokens while a is still prefilling: neither waits for the other.
        assertThat(order.indexOf("b:Token")).isLessThan(order.lastIndexOf("a:PrefillProgress"));
        assertThat(order.indexOf("a:Token")).isLessThan(order.indexOf("b:Done"));
        assertThat(b.tokenIds()).containsExactly(REFERENCE);
        Recorder alone = run(engine(EngineOptions.defaults()), greedy("alone", longPrompt(48), 20));
        assertThat(a.tokenIds()).containsExactly(alone.tokenIds());
    }

    @Test
    void promptLongerThanTheContextIsRejectedBeforeAnyEvent() {
        LocalEngine e = engine(EngineOptions.defaults());
        int[] tooLong = bundle.tokenizer().encode("a gentle hum of precision ".repeat(40), true, true);
        assertThat(tooLong.length).isGreaterThan(128);
        Recorder r = new Recorder();
        assertThatThrownBy(() -> e.submit(greedy("long", tooLong, 10), r))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessage("prompt has " + tooLong.length + " tokens but the context size is 128");
        assertThat(r.snapshot()).isEmpty();
        assertThat(e.requests()).isEmpty();
    }

    @Test
    void maxTokensAndAFullContextEndWithLength() {
        LocalEngine e = engine(EngineOptions.defaults());
        Recorder r = run(e, greedy("n", PROMPT_IDS, 7));
        Done d = (Done) r.snapshot().getLast();
        assertThat(d.reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.tokenIds()).containsExactly(Arrays.copyOf(REFERENCE, 7));

        // 120 prompt tokens in a 128-position context: 8 generated fit in the cache, plus the last one sampled.
        Recorder full = run(e, greedy("full", longPrompt(120), 1000));
        Done f = (Done) full.snapshot().getLast();
        assertThat(f.reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(f.generatedTokens()).isEqualTo(9);
    }

    @Test
    void sameSeedGivesTheSameSampledOutput() {
        LocalEngine e = engine(EngineOptions.defaults());
        SamplingParams seeded = new SamplingParams(1.0f, 0, 1f, 0f, 1f, 64, 0f, 0f, 1234L);
        SamplingParams other = new SamplingParams(1.0f, 0, 1f, 0f, 1f, 64, 0f, 0f, 99L);
        int[] first = run(e, new GenerationRequest("s1", PROMPT_IDS, seeded, 30, List.of())).tokenIds();
        int[] second = run(e, new GenerationRequest("s2", PROMPT_IDS, seeded, 30, List.of())).tokenIds();
        int[] third = run(e, new GenerationRequest("s3", PROMPT_IDS, other, 30, List.of())).tokenIds();
        assertThat(second).containsExactly(first);
        assertThat(third).isNotEqualTo(first);
        assertThat(first).isNotEqualTo(REFERENCE);
    }
}
