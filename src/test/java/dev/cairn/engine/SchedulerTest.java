package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.EngineEvent.Done;
import dev.cairn.engine.EngineEvent.FinishReason;
import dev.cairn.engine.EngineEvent.PrefillProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's contract (chunking, events, queue, slots, cancellation, limits) on a deterministic fake model whose
 * every forward call is recorded. {@link LocalEngineTest} checks the same engine on real models.
 */
class SchedulerTest {
    private final FakeModel model = new FakeModel();
    private LocalEngine engine;

    private LocalEngine engine(EngineOptions options) {
        engine = new LocalEngine(new ModelBundle("fake", null, model, new FakeTokenizer(), null), options);
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static int[] prompt(int n, int salt) {
        return IntStream.range(0, n).map(i -> 2 + Math.floorMod(i * 13 + salt, FakeModel.VOCAB - 2)).toArray();
    }

    private static GenerationRequest req(String id, int[] prompt, int maxTokens, String... stop) {
        return new GenerationRequest(id, prompt, SamplingParams.greedy(), maxTokens, List.of(stop));
    }

    /** What the fake model generates greedily after {@code prompt}. */
    private static int[] expectedGreedy(int[] prompt, int n) {
        int[] out = new int[n];
        int last = prompt[prompt.length - 1];
        for (int i = 0; i < n; i++) {
            last = FakeModel.next(last, prompt.length - 1 + i);
            out[i] = last;
        }
        return out;
    }

    @Test
    void prefillRunsInChunksWithOneProgressEventEachAndLogitsOnlyAtTheEnd() {
        for (int chunk : new int[] {1, 5, 23, 64}) {
            model.calls.clear();
            LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(chunk).withCtxSize(64));
            Recorder r = new Recorder();
            e.submit(req("a", prompt(23, 0), 3), r);
            Done done = r.awaitDone();
            e.close();

            List<PrefillProgress> p = r.progress();
            int chunks = (23 + chunk - 1) / chunk;
            assertThat(p).hasSize(1 + chunks);
            assertThat(p.getFirst().processedTokens()).isZero();
            assertThat(p.getFirst().elapsedMs()).isZero();
            assertThat(p.getFirst().tokensPerSecond()).isNull();
            assertThat(p.getFirst().etaMs()).isNull();
            for (int i = 1; i < p.size(); i++) {
                assertThat(p.get(i).processedTokens()).isEqualTo(Math.min(23, i * chunk));
                assertThat(p.get(i).totalTokens()).isEqualTo(23);
                assertThat(p.get(i).cachedTokens()).isZero();
                assertThat(p.get(i).tokensPerSecond()).isPositive();
                assertThat(p.get(i).etaMs()).isNotNull();
                assertThat(p.get(i).elapsedMs()).isGreaterThanOrEqualTo(p.get(i - 1).elapsedMs());
            }
            assertThat(p.getLast().etaMs()).isZero();

            List<FakeModel.Call> prefill = model.calls.subList(0, chunks);
            for (int i = 0; i < chunks; i++) {
                assertThat(prefill.get(i).count()).isEqualTo(Math.min(chunk, 23 - i * chunk));
                assertThat(prefill.get(i).wantLogits()).as("logits only for the final chunk").isEqualTo(i == chunks - 1);
            }
            assertThat(r.tokenIds()).containsExactly(expectedGreedy(prompt(23, 0), 3));
            assertThat(done.reason()).isEqualTo(FinishReason.LENGTH);
            assertThat(done.promptTokens()).isEqualTo(23);
            assertThat(done.generatedTokens()).isEqualTo(3);
        }
    }

    @Test
    void eventsComeInOrderQueuedProgressTokensDone() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(4).withCtxSize(64));
        CountDownLatch release = new CountDownLatch(1);
        Recorder first = new Recorder(ev -> await(release, ev instanceof PrefillProgress));
        e.submit(req("a", prompt(10, 0), 2), first);
        Recorder second = new Recorder();
        e.submit(req("b", prompt(10, 1), 5), second);
        release.countDown();
        second.awaitDone();
        List<Class<?>> kinds = second.snapshot().stream().<Class<?>>map(Object::getClass).toList();
        int firstProgress = kinds.indexOf(PrefillProgress.class);
        int firstToken = kinds.indexOf(EngineEvent.Token.class);
        assertThat(kinds.subList(0, firstProgress)).containsOnly(EngineEvent.Queued.class).isNotEmpty();
        assertThat(kinds.subList(firstProgress, firstToken)).containsOnly(PrefillProgress.class).hasSize(1 + 3);
        assertThat(kinds.subList(firstToken, kinds.size() - 1)).containsOnly(EngineEvent.Token.class).hasSize(5);
        assertThat(kinds.getLast()).isEqualTo(Done.class);
    }

    private static void await(CountDownLatch latch, boolean when) {
        if (!when) {
            return;
        }
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void cancelMidPrefillStopsWithinOneChunkAndFreesTheSlot() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(4).withCtxSize(64));
        GenerationHandle[] handle = new GenerationHandle[1];
        CountDownLatch submitted = new CountDownLatch(1);
        Recorder r = new Recorder(ev -> {
            if (ev instanceof PrefillProgress p && p.processedTokens() == 8) {
                await(submitted, true);
                handle[0].cancel();
            }
        });
        handle[0] = e.submit(req("a", prompt(30, 0), 5), r);
        submitted.countDown();
        Done done = r.awaitDone();
        assertThat(done.reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.progress()).extracting(PrefillProgress::processedTokens).containsExactly(0, 4, 8);
        assertThat(model.calls).hasSize(2);
        assertThat(r.tokenIds()).isEmpty();
        assertThat(e.requests()).isEmpty();

        Recorder next = new Recorder();
        e.submit(req("b", prompt(12, 3), 4), next);
        assertThat(next.awaitDone().reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(next.queuePositions()).isEmpty();
        assertThat(next.tokenIds()).containsExactly(expectedGreedy(prompt(12, 3), 4));
    }

    @Test
    void cancelByIdDuringDecodeAndWhileQueued() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(4).withCtxSize(64));
        Recorder running = new Recorder(ev -> {
            if (ev instanceof EngineEvent.Token t && t.tokenId() > 0 && engine.requests().size() == 2) {
                assertThat(engine.cancel("queued")).isTrue();
                assertThat(engine.cancel("running")).isTrue();
            }
        });
        Recorder queued = new Recorder();
        CountDownLatch go = new CountDownLatch(1);
        e.submit(req("running", prompt(6, 0), 1000), new Recorder(ev -> {
            await(go, ev instanceof PrefillProgress);
            running.accept(ev);
        }));
        e.submit(req("queued", prompt(6, 1), 10), queued);
        go.countDown();
        assertThat(running.awaitDone().reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(running.tokenIds()).hasSize(1);
        Done q = queued.awaitDone();
        assertThat(q.reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(queued.progress()).isEmpty();
        assertThat(e.cancel("running")).as("finished ids are unknown").isFalse();
        assertThat(e.cancel("nope")).isFalse();
    }

    @Test
    void queueGivesPositionsOneToKAndMovesUp() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(8).withCtxSize(64));
        CountDownLatch release = new CountDownLatch(1);
        Recorder head = new Recorder(ev -> await(release, ev instanceof PrefillProgress p && p.processedTokens() == 0));
        e.submit(req("head", prompt(10, 0), 3), head);
        List<Recorder> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Recorder r = new Recorder();
            waiting.add(r);
            e.submit(req("w" + i, prompt(10, i + 1), 3), r);
        }
        List<RequestStatus> statuses = e.requests();
        assertThat(statuses).extracting(RequestStatus::id).containsExactly("head", "w0", "w1", "w2");
        release.countDown();
        waiting.forEach(Recorder::awaitDone);
        assertThat(waiting.get(0).queuePositions()).containsExactly(1);
        assertThat(waiting.get(1).queuePositions()).containsExactly(2, 1);
        assertThat(waiting.get(2).queuePositions()).containsExactly(3, 2, 1);
        assertThat(e.requests()).isEmpty();
    }

    @Test
    void requestsSnapshotShowsPhasesAndProgress() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(4).withCtxSize(64));
        List<List<RequestStatus>> seen = new ArrayList<>();
        Recorder r = new Recorder(ev -> {
            if (ev instanceof PrefillProgress p && p.processedTokens() == 4 || ev instanceof EngineEvent.Token) {
                seen.add(engine.requests());
            }
        });
        e.submit(req("x", prompt(10, 0), 1), r);
        r.awaitDone();
        RequestStatus prefill = seen.get(0).getFirst();
        assertThat(prefill.phase()).isEqualTo("prefill");
        assertThat(prefill.processedTokens()).isEqualTo(4);
        assertThat(prefill.totalTokens()).isEqualTo(10);
        assertThat(prefill.createdEpochSeconds()).isPositive();
        assertThat(seen.get(1).getFirst().phase()).isEqualTo("decode");
        assertThat(e.requests()).isEmpty();
    }

    @Test
    void repeatedPromptReusesTheCacheAndGivesTheSameOutput() {
        LocalEngine e = engine(EngineOptions.defaults().withPrefillChunk(4).withCtxSize(64));
        int[] p = prompt(13, 0);
        Recorder first = new Recorder();
        e.submit(req("1", p, 6), first);
        assertThat(first.awaitDone().cachedTokens()).isZero();

        model.calls.clear();
        Recorder again = new Recorder();
        e.submit(req("2", p, 6), again);
        Done done = again.awaitDone();
        // All but the last prompt token come from the cache: that one is recomputed for its logits.
        assertThat(done.cachedTokens()).isEqualTo(12);
        assertThat(again.progress()).extracting(PrefillProgress::processedTokens).containsExactly(12, 13);
        assertThat(again.progress()).extracting(PrefillProgress::cachedTokens).containsOnly(12);
        assertThat(model.calls.getFirst()).isEqualTo(new FakeModel.Call(12, 1, true));
        assertThat(again.tokenIds()).containsExactly(first.tokenIds());

        // A longer prompt continuing prompt + answer reuses both.
        int[] longer = IntStream.concat(IntStream.concat(IntStream.of(p), IntStream.of(first.tokenIds())),
                IntStream.of(prompt(3, 9))).toArray();
        Recorder follow = new Recorder();
        e.submit(req("3", longer, 2), follow);
        assertThat(follow.awaitDone().cachedTokens()).isEqualTo(13 + 5);
        assertThat(follow.tokenIds()).containsExactly(expectedGreedy(longer, 2));
    }

    @Test
    void aNewRequestGoesToTheFreeSlotWithTheBestPrefix() {
        LocalEngine e = engine(EngineOptions.defaults().withParallel(2).withPrefillChunk(8).withCtxSize(64));
        int[] a = prompt(12, 0);
        int[] b = prompt(12, 5);
        List<Integer> cached = new ArrayList<>();
        // With one slot, alternating a and b would evict each other; with two each keeps its own slot.
        for (int[] p : List.of(a, b, a, b)) {
            Recorder r = new Recorder();
            e.submit(req(null, p, 2), r);
            cached.add(r.awaitDone().cachedTokens());
        }
        assertThat(cached).containsExactly(0, 0, 11, 11);
    }

    @Test
    void twoSlotsInterleaveSoBothProgress() {
        LocalEngine e = engine(EngineOptions.defaults().withParallel(2).withPrefillChunk(4).withCtxSize(64));
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch both = new CountDownLatch(1);
        Recorder a = new Recorder(ev -> {
            await(both, ev instanceof PrefillProgress p && p.processedTokens() == 0);
            order.add("a:" + ev.getClass().getSimpleName());
        });
        Recorder b = new Recorder(ev -> order.add("b:" + ev.getClass().getSimpleName()));
        e.submit(req("a", prompt(20, 0), 5), a);
        e.submit(req("b", prompt(20, 1), 5), b);
        both.countDown();
        a.awaitDone();
        b.awaitDone();
        assertThat(b.queuePositions()).isEmpty();
        // b's prefill starts before a's has finished, and a decodes while b is still going.
        int bStart = order.indexOf("b:PrefillProgress");
        int aFirstToken = order.indexOf("a:Token");
        assertThat(bStart).isLessThan(aFirstToken);
        assertThat(order.indexOf("b:Token")).isLessThan(order.indexOf("a:Done"));
        assertThat(a.tokenIds()).containsExactly(expectedGreedy(prompt(20, 0), 5));
        assertThat(b.tokenIds()).containsExactly(expectedGreedy(prompt(20, 1), 5));
    }

    @Test
    void promptThatDoesNotFitIsRejectedBeforeAnyEvent() {
        LocalEngine e = engine(EngineOptions.defaults().withCtxSize(32));
        Recorder r = new Recorder();
        assertThatThrownBy(() -> e.submit(req("x", prompt(40, 0), 5), r))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessage("prompt has 40 tokens but the context size is 32");
        assertThatThrownBy(() -> e.submit(req("x", prompt(32, 0), 5), r))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessageStartingWith("prompt has 32 tokens but the context size is 32");
        assertThatThrownBy(() -> e.submit(req("x", new int[0], 5), r)).isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> e.submit(req("x", prompt(3, 0), 0), r)).isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("max tokens must be at least 1");
        assertThatThrownBy(() -> e.submit(req("x", new int[] {1, 99}, 5), r))
                .isInstanceOf(RequestRejectedException.class).hasMessageContaining("99");
        assertThat(r.snapshot()).isEmpty();
        assertThat(model.calls).isEmpty();
        assertThat(e.requests()).isEmpty();
    }

    @Test
    void aFailingForwardPassEndsOnlyThatRequestWithAnError() {
        LocalEngine e = engine(EngineOptions.defaults().withCtxSize(64).withPrefillChunk(4));
        for (Throwable failure : List.of(new IllegalStateException("kernel bug"), new StackOverflowError("deep"))) {
            model.failNext = failure;
            Recorder r = new Recorder();
            e.submit(req("bad", prompt(10, 0), 3), r);
            EngineEvent last = r.awaitEnd();
            assertThat(last).isInstanceOf(EngineEvent.Error.class);
            assertThat(((EngineEvent.Error) last).message()).contains(failure.getMessage());
            assertThat(e.requests()).isEmpty();

            Recorder next = new Recorder();
            e.submit(req("next", prompt(10, 0), 3), next);
            assertThat(next.awaitDone().reason()).isEqualTo(FinishReason.LENGTH);
            assertThat(next.tokenIds()).containsExactly(expectedGreedy(prompt(10, 0), 3));
        }
    }

    @Test
    void slotsThatDoNotFitTheHeapFailWithAdvice() {
        model.reportedCacheBytes = Runtime.getRuntime().maxMemory();
        assertThatThrownBy(() -> engine(EngineOptions.defaults().withParallel(2).withCtxSize(64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 slots of 64 positions need")
                .hasMessageContaining("lower --parallel or --ctx-size");
        model.reportedCacheBytes = 0;
        assertThat(engine(EngineOptions.defaults().withParallel(2).withCtxSize(64)).parallel()).isEqualTo(2);
    }

    @Test
    void maxTokensAndAFullContextEndWithLength() {
        LocalEngine e = engine(EngineOptions.defaults().withCtxSize(16));
        Recorder r = new Recorder();
        e.submit(req("n", prompt(5, 0), 4), r);
        Done d = r.awaitDone();
        assertThat(d.reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.tokenIds()).hasSize(4);

        Recorder full = new Recorder();
        e.submit(req("full", prompt(10, 2), 1000), full);
        Done f = full.awaitDone();
        assertThat(f.reason()).isEqualTo(FinishReason.LENGTH);
        // The cache holds 16 positions: 10 prompt tokens and 6 generated ones fed back, plus the last one sampled.
        assertThat(f.generatedTokens()).isEqualTo(7);
        assertThat(full.tokenIds()).containsExactly(expectedGreedy(prompt(10, 2), 7));
    }

    @Test
    void endOfGenerationTokenEndsWithEosAndIsNeverText() {
        LocalEngine e = engine(EngineOptions.defaults().withCtxSize(64));
        model.eosAtPosition = 9;
        Recorder r = new Recorder();
        e.submit(req("eos", prompt(6, 0), 50), r);
        Done d = r.awaitDone();
        assertThat(d.reason()).isEqualTo(FinishReason.EOS);
        assertThat(d.generatedTokens()).isEqualTo(3);
        assertThat(r.tokenIds()).doesNotContain(FakeModel.EOS).hasSize(3);
    }

    @Test
    void stopStringIsHeldBackAndNotEmitted() {
        LocalEngine e = engine(EngineOptions.defaults().withCtxSize(64));
        int[] p = prompt(5, 0);
        Recorder plain = new Recorder();
        e.submit(req("plain", p, 12), plain);
        plain.awaitDone();
        String full = plain.text();
        String stop = full.substring(6, 9);
        assertThat(full.indexOf(stop)).as("stop first occurs at 6 in %s", full).isEqualTo(6);

        List<String> texts = new ArrayList<>();
        Recorder r = new Recorder(ev -> {
            if (ev instanceof EngineEvent.Token t) {
                texts.add(t.text());
            }
        });
        e.submit(req("stop", p, 12, "zzz", stop), r);
        Done d = r.awaitDone();
        assertThat(d.reason()).isEqualTo(FinishReason.STOP);
        assertThat(d.stopString()).isEqualTo(stop);
        assertThat(r.text()).isEqualTo(full.substring(0, 6));
        // The tokens forming the stop produced no text: the first of them was held back, not emitted and retracted.
        assertThat(texts.subList(6, texts.size())).containsOnly("");
        assertThat(d.generatedTokens()).isEqualTo(9);
    }

    @Test
    void heldBackTextIsReleasedWhenGenerationEndsWithoutTheStop() {
        LocalEngine e = engine(EngineOptions.defaults().withCtxSize(64));
        int[] p = prompt(5, 0);
        Recorder plain = new Recorder();
        e.submit(req("plain", p, 8), plain);
        plain.awaitDone();
        String full = plain.text();
        // A stop string whose start is the last generated character but which never completes.
        String stop = full.substring(7) + "never";
        Recorder r = new Recorder();
        e.submit(req("held", p, 8, stop), r);
        Done d = r.awaitDone();
        assertThat(d.reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.text()).isEqualTo(full);
    }

    @Test
    void shutdownLetsShortWorkFinishAndCancelsWhatOutlastsTheGrace() {
        LocalEngine e = engine(EngineOptions.defaults().withCtxSize(64).withPrefillChunk(1));
        model.forwardDelayMs = 20; // 60 one-token chunks take over a second
        Recorder slow = new Recorder();
        e.submit(req("slow", prompt(60, 0), 3), slow);
        e.shutdown(Duration.ofMillis(100));
        Done d = slow.awaitDone();
        assertThat(d.reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(slow.progress().getLast().processedTokens()).isBetween(1, 30);
        assertThatThrownBy(() -> e.submit(req("late", prompt(3, 0), 2), new Recorder()))
                .isInstanceOf(RequestRejectedException.class).hasMessageContaining("shutting down");

        LocalEngine graceful = engine(EngineOptions.defaults().withCtxSize(64).withPrefillChunk(4));
        model.forwardDelayMs = 5;
        Recorder quick = new Recorder();
        graceful.submit(req("quick", prompt(8, 0), 3), quick);
        graceful.shutdown(Duration.ofSeconds(30));
        assertThat(quick.awaitDone().reason()).isEqualTo(FinishReason.LENGTH);
    }
}
