package dev.cairn.engine;

import dev.cairn.engine.EngineEvent.FinishReason;
import dev.cairn.grammar.TokenConstraint;
import dev.cairn.model.KvCache;
import dev.cairn.model.Model;
import dev.cairn.tokenizer.Tokenizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: one scheduler thread owns the model (and so its worker pool) and runs every generation. It has
 * {@code parallel} slots, each with its own KV cache; requests beyond that wait in FIFO order and hear their queue
 * position whenever it changes. Each scheduler round gives every busy slot one prefill chunk or one decode step, so
 * concurrent requests all progress and never fight over the cores. Cancellation is checked between chunks and steps.
 */
public final class LocalEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
    /** How long an idle scheduler sleeps before looking again (submit and cancel wake it at once). */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ModelBundle bundle;
    private final Model model;
    private final Tokenizer tokenizer;
    private final int prefillChunk;
    private final int ctxSize;
    private final List<Slot> slots = new ArrayList<>();

    private final ConcurrentLinkedQueue<Job> inbox = new ConcurrentLinkedQueue<>();
    private final Map<String, Job> live = new ConcurrentHashMap<>();
    private final RequestTracker tracker = new RequestTracker();
    private final AtomicLong seq = new AtomicLong();
    private final Object admission = new Object();
    private final Thread scheduler;
    private volatile boolean accepting = true;
    private volatile boolean stopped;

    // Scheduler-thread state.
    private final List<Job> queue = new ArrayList<>();
    private long finishedCount;

    public LocalEngine(ModelBundle bundle, EngineOptions options) {
        this.bundle = bundle;
        this.model = bundle.model();
        this.tokenizer = bundle.tokenizer();
        this.prefillChunk = options.prefillChunk();
        // Without an explicit size, a slot gets the context the model was loaded for (its buffers are sized for it).
        this.ctxSize = options.ctxSize() == 0 ? model.ctxSize()
                : options.resolveCtxSize(model.config());
        allocateSlots(options.parallel());
        this.scheduler = Thread.ofPlatform().name("cairn-scheduler").daemon(true).unstarted(this::runScheduler);
        scheduler.start();
    }

    /** One KV cache per slot, on the Java heap: checked against the heap left, so a bad setting fails with advice. */
    private void allocateSlots(int parallel) {
        long perSlot = 0;
        try {
            for (int i = 0; i < parallel; i++) {
                Runtime rt = Runtime.getRuntime();
                long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
                if (perSlot > free) {
                    throw new IllegalArgumentException(kvAdvice(parallel, perSlot, free));
                }
                slots.add(new Slot(i, model.newCache(ctxSize)));
                perSlot = slots.getFirst().cache.bytes();
            }
        } catch (OutOfMemoryError e) {
            slots.clear();
            Runtime rt = Runtime.getRuntime();
            throw new IllegalArgumentException(kvAdvice(parallel, perSlot, rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())));
        }
    }

    private String kvAdvice(int parallel, long perSlot, long free) {
        return String.format(java.util.Locale.ROOT, "%d slots of %d positions need %.0f MiB of KV cache%s but only %.0f MiB"
                        + " of Java heap is free: lower --parallel or --ctx-size, or give Java more heap"
                        + " (e.g. CAIRN_JAVA_OPTS=-Xmx16g)", parallel, ctxSize, parallel * perSlot / 1048576.0,
                perSlot > 0 ? String.format(java.util.Locale.ROOT, " (%.0f MiB each)", perSlot / 1048576.0) : "",
                free / 1048576.0);
    }

    /**
     * Runs a short prefill and two decode steps on a scratch cache so the JIT has compiled the kernels before the first
     * request: otherwise that request's first chunk runs several times slower than the rest and its progress shows a
     * rate and ETA far too pessimistic. Call it before submitting anything (the server does so before it listens);
     * the slots and their prefix caches are untouched. Returns the milliseconds it took.
     */
    public long warmUp() {
        if (!live.isEmpty()) {
            throw new IllegalStateException("warm up before submitting requests");
        }
        long start = System.nanoTime();
        int prefill = Math.max(1, Math.min(Math.min(prefillChunk, 32), ctxSize - 3));
        KvCache scratch = model.newCache(prefill + 2);
        int[] ids = new int[prefill + 2];
        java.util.Arrays.fill(ids, Math.max(0, tokenizer.bosId()));
        model.forward(scratch, ids, 0, prefill, true);
        model.forward(scratch, ids, prefill, 1, true);
        model.forward(scratch, ids, prefill + 1, 1, true);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public ModelBundle model() {
        return bundle;
    }

    /** Positions each slot's KV cache holds. */
    public int ctxSize() {
        return ctxSize;
    }

    public int parallel() {
        return slots.size();
    }

    public int prefillChunk() {
        return prefillChunk;
    }

    @Override
    public void validate(GenerationRequest request) {
        if (request == null) {
            throw new RequestRejectedException("no request");
        }
        int[] prompt = request.promptTokens();
        if (prompt == null || prompt.length == 0) {
            throw new RequestRejectedException("the prompt is empty");
        }
        if (request.maxTokens() < 1) {
            throw new RequestRejectedException("max tokens must be at least 1, got " + request.maxTokens());
        }
        if (prompt.length >= ctxSize) {
            throw new RequestRejectedException("prompt has " + prompt.length + " tokens but the context size is "
                    + ctxSize + (prompt.length == ctxSize ? ", leaving no room to generate a token" : ""));
        }
        int vocab = model.config().vocabSize();
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new RequestRejectedException("prompt token id " + id + " is outside the vocabulary (0.."
                        + (vocab - 1) + ")");
            }
        }
        validateSampling(request.sampling());
        if (request.id() != null && live.containsKey(request.id())) {
            throw new RequestRejectedException("a request with id " + request.id() + " is already in progress");
        }
    }

    private static void validateSampling(SamplingParams p) {
        if (p == null) {
            return;
        }
        if (!(p.temperature() >= 0f)) {
            throw new RequestRejectedException("temperature must be 0 or more, got " + p.temperature());
        }
        if (p.topK() < 0) {
            throw new RequestRejectedException("top_k must be 0 (off) or more, got " + p.topK());
        }
        if (!(p.topP() > 0f && p.topP() <= 1f)) {
            throw new RequestRejectedException("top_p must be in (0, 1], got " + p.topP());
        }
        if (!(p.minP() >= 0f && p.minP() <= 1f)) {
            throw new RequestRejectedException("min_p must be in [0, 1], got " + p.minP());
        }
        if (!(p.repeatPenalty() > 0f)) {
            throw new RequestRejectedException("repeat penalty must be positive, got " + p.repeatPenalty());
        }
        if (p.repeatLastN() < -1) {
            throw new RequestRejectedException("repeat_last_n must be -1 (all), 0 (off) or more, got " + p.repeatLastN());
        }
        if (!Float.isFinite(p.frequencyPenalty()) || !Float.isFinite(p.presencePenalty())) {
            throw new RequestRejectedException("frequency and presence penalties must be finite numbers");
        }
    }

    @Override
    public GenerationHandle submit(GenerationRequest request, EventSink sink) {
        if (sink == null) {
            throw new IllegalArgumentException("sink is required");
        }
        Job job;
        synchronized (admission) {
            if (!accepting) {
                throw new RequestRejectedException("the engine is shutting down");
            }
            validate(request);
            long n = seq.incrementAndGet();
            String id = request.id() != null ? request.id() : "gen-" + n;
            SamplingParams sampling = request.sampling() != null ? request.sampling() : SamplingParams.greedy();
            job = new Job(id, n, request, sampling, sink, this);
            live.put(id, job);
            tracker.submitted(id, job.prompt.length);
            inbox.add(job);
        }
        wake();
        return job;
    }

    /** Makes the scheduler look at its inbox and cancellations now. */
    void wake() {
        LockSupport.unpark(scheduler);
    }

    @Override
    public boolean cancel(String id) {
        Job job = id == null ? null : live.get(id);
        if (job == null) {
            return false;
        }
        job.cancelRequested = true;
        wake();
        return true;
    }

    @Override
    public RequestTracker tracker() {
        return tracker;
    }

    @Override
    public void shutdown(Duration grace) {
        synchronized (admission) {
            accepting = false;
        }
        long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
        // From an event sink (the scheduler thread itself) nothing can finish while we wait: cancel at once.
        boolean onScheduler = Thread.currentThread() == scheduler;
        while (!onScheduler && !live.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly();
        }
        for (Job job : live.values()) {
            job.cancelRequested = true;
        }
        stopped = true;
        LockSupport.unpark(scheduler);
        if (!onScheduler) {
            try {
                scheduler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Cancels whatever still runs and stops the scheduler; the bundle stays open (its owner closes it). */
    @Override
    public void close() {
        if (scheduler.isAlive()) {
            shutdown(Duration.ZERO);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- scheduler thread ----

    private void runScheduler() {
        while (true) {
            boolean busy;
            try {
                busy = runRound();
            } catch (RuntimeException | Error e) {
                // Steps already turn their own failures into Error events; this is the last line, so that a bug
                // here ends the affected requests with an error instead of leaving every client waiting forever.
                LOG.error("engine scheduler failed", e);
                failRunning("engine failure: " + e);
                busy = false;
            }
            if (!busy && queue.isEmpty() && inbox.isEmpty()) {
                if (stopped) {
                    return;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
    }

    /** One scheduler round; true when some slot did work. */
    private boolean runRound() {
        for (Job j; (j = inbox.poll()) != null; ) {
            queue.add(j);
        }
        dropCancelledQueued();
        assignFreeSlots();
        publishQueuePositions();
        boolean busy = false;
        for (Slot slot : slots) {
            if (slot.job != null) {
                busy = true;
                runOneStep(slot);
            }
        }
        return busy;
    }

    /**
     * Fails the running requests (their slots' state is unknown). Waiting ones are failed too only when nothing was
     * running, as then the failure came from handling the queue itself and would recur.
     */
    private void failRunning(String message) {
        boolean anyRunning = false;
        for (Slot slot : slots) {
            if (slot.job != null) {
                anyRunning = true;
                slot.reset();
                fail(slot.job, message);
            }
        }
        if (!anyRunning) {
            List<Job> waiting = new ArrayList<>(queue);
            queue.clear();
            waiting.forEach(job -> fail(job, message));
        }
    }

    private void dropCancelledQueued() {
        queue.removeIf(job -> {
            if (!job.cancelRequested) {
                return false;
            }
            finish(job, FinishReason.CANCELLED, null);
            return true;
        });
    }

    private void assignFreeSlots() {
        while (!queue.isEmpty()) {
            Job job = queue.getFirst();
            Slot slot = bestFreeSlot(job.prompt);
            if (slot == null) {
                return;
            }
            queue.removeFirst();
            try {
                start(job, slot);
            } catch (RuntimeException e) {
                LOG.error("generation {} failed to start", job.id, e);
                slot.reset();
                fail(job, "generation failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            }
        }
    }

    /** The free slot sharing the longest start with the prompt; among equals the least recently used. */
    private Slot bestFreeSlot(int[] prompt) {
        Slot best = null;
        int bestPrefix = -1;
        for (Slot s : slots) {
            if (s.job != null) {
                continue;
            }
            int p = s.commonPrefix(prompt);
            if (p > bestPrefix || (p == bestPrefix && s.lastUsed < best.lastUsed)) {
                best = s;
                bestPrefix = p;
            }
        }
        return best;
    }

    private void publishQueuePositions() {
        for (int i = 0; i < queue.size(); i++) {
            Job job = queue.get(i);
            if (job.position != i + 1) {
                job.position = i + 1;
                emit(job, new EngineEvent.Queued(job.id, i + 1));
            }
        }
    }

    private void start(Job job, Slot slot) {
        // Keep at least the last prompt token to recompute: its logits choose the first generated token.
        int cached = Math.min(slot.commonPrefix(job.prompt), job.prompt.length - 1);
        slot.cache.truncate(cached);
        slot.job = job;
        job.slot = slot;
        job.cached = cached;
        job.processed = cached;
        job.position = 0;
        job.sampler = new Sampler(job.sampling, model.config().vocabSize(), job.prompt);
        job.decoder = tokenizer.newDecoder();
        job.stopMatcher = new StopMatcher(job.stops);
        job.phase = Job.Phase.PREFILL;
        job.prefillStartNanos = System.nanoTime();
        job.prefillClock = new PrefillClock(job.prefillStartNanos, cached);
        emit(job, new EngineEvent.PrefillProgress(job.id, cached, job.prompt.length, cached, 0, null, null));
    }

    private void runOneStep(Slot slot) {
        Job job = slot.job;
        if (job.cancelRequested) {
            finish(job, FinishReason.CANCELLED, null);
            return;
        }
        try {
            if (job.phase == Job.Phase.PREFILL) {
                prefillChunk(job, slot);
            } else {
                decodeStep(job, slot);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("generation {} failed", job.id, e);
            slot.reset();
            fail(job, "generation failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
    }

    private void prefillChunk(Job job, Slot slot) {
        int total = job.prompt.length;
        int from = job.processed;
        int count = Math.min(prefillChunk, total - from);
        boolean last = from + count == total;
        // Only the final chunk needs logits: earlier ones skip the output projection.
        float[] logits = model.forward(slot.cache, job.prompt, from, count, last);
        slot.recordTokens(from, job.prompt, from, count);
        job.processed = from + count;

        long now = System.nanoTime();
        job.prefillClock.chunkDone(job.processed, now);
        long elapsedMs = job.prefillClock.elapsedMs(now);
        emit(job, new EngineEvent.PrefillProgress(job.id, job.processed, total, job.cached, elapsedMs,
                job.prefillClock.tokensPerSecond(), job.prefillClock.etaMs(total)));
        if (last) {
            job.prefillMs = elapsedMs;
            job.phase = Job.Phase.DECODE;
            job.decodeStartNanos = System.nanoTime();
            onLogits(job, slot, logits);
        }
    }

    private void decodeStep(Job job, Slot slot) {
        int at = slot.cache.length();
        int[] one = {job.pendingToken};
        float[] logits = model.forward(slot.cache, one, 0, 1, true);
        slot.recordTokens(at, one, 0, 1);
        onLogits(job, slot, logits);
    }

    /** Samples the next token and emits it, or ends the generation. */
    private void onLogits(Job job, Slot slot, float[] logits) {
        TokenConstraint constraint = job.constraint;
        int id = job.sampler.sample(logits);
        if (constraint != null && refused(constraint, id)) {
            // As llama.cpp: the sampled token is usually fine, so the whole vocabulary is masked only when it is not.
            float[] masked = logits.clone();
            constraint.mask(masked);
            if (!anyFinite(masked)) {
                fail(job, "the output constraint allows no token");
                return;
            }
            id = job.sampler.sample(masked);
            if (refused(constraint, id)) {
                fail(job, "the output constraint refused token " + id + " after masking");
                return;
            }
        }
        job.sampler.accept(id);
        if (tokenizer.isEndOfGeneration(id)) {
            // The end token itself is never text; only what was held back (partial UTF-8, a possible stop) goes out.
            String tail = finalText(job);
            if (!tail.isEmpty()) {
                emit(job, new EngineEvent.Token(job.id, id, tail));
            }
            String stop = job.stopMatcher.matched();
            finish(job, stop != null ? FinishReason.STOP : FinishReason.EOS, stop);
            return;
        }
        job.generated++;
        // A complete constrained output ends the generation as if the model had stopped.
        boolean complete = false;
        if (constraint != null) {
            constraint.accept(id);
            complete = constraint.mustEnd();
        }
        String text = job.stopMatcher.push(job.decoder.push(id));
        // Feeding this token back needs one more cache position; a full cache ends the generation here.
        boolean limit = job.generated >= job.maxTokens || slot.cache.length() >= slot.capacity();
        if (job.stopMatcher.matched() == null && (limit || complete)) {
            text += finalText(job);
        }
        emit(job, new EngineEvent.Token(job.id, id, text));
        String stop = job.stopMatcher.matched();
        if (stop != null) {
            finish(job, FinishReason.STOP, stop);
        } else if (complete) {
            finish(job, FinishReason.EOS, null);
        } else if (limit) {
            finish(job, FinishReason.LENGTH, null);
        } else {
            job.pendingToken = id;
        }
    }

    /** True when the constraint refuses {@code id} next: an end token before the output is complete, or any other. */
    private boolean refused(TokenConstraint constraint, int id) {
        return tokenizer.isEndOfGeneration(id) ? !constraint.canEnd() : !constraint.allows(id);
    }

    private static boolean anyFinite(float[] logits) {
        for (float l : logits) {
            if (l != Float.NEGATIVE_INFINITY && !Float.isNaN(l)) {
                return true;
            }
        }
        return false;
    }

    /** What is still held back at the end: incomplete UTF-8 and text that might have started a stop string. */
    private static String finalText(Job job) {
        String text = job.stopMatcher.push(job.decoder.flush());
        return job.stopMatcher.matched() != null ? text : text + job.stopMatcher.flush();
    }

    private void finish(Job job, FinishReason reason, String stopString) {
        long now = System.nanoTime();
        long prefillMs = job.phase == Job.Phase.PREFILL
                ? TimeUnit.NANOSECONDS.toMillis(now - job.prefillStartNanos) : job.prefillMs;
        long decodeMs = job.phase == Job.Phase.DECODE ? TimeUnit.NANOSECONDS.toMillis(now - job.decodeStartNanos) : 0;
        int cached = job.phase == Job.Phase.QUEUED ? 0 : job.cached;
        release(job);
        emit(job, new EngineEvent.Done(job.id, reason, stopString, job.prompt.length, cached, job.generated,
                prefillMs, decodeMs));
    }

    private void fail(Job job, String message) {
        release(job);
        emit(job, new EngineEvent.Error(job.id, message));
    }

    private void release(Job job) {
        if (job.slot != null) {
            job.slot.job = null;
            job.slot.lastUsed = ++finishedCount;
        }
        live.remove(job.id, job);
    }

    /**
     * Records an event in the job's state, then delivers it; a sink that throws has lost its client, so its generation
     * is cancelled. The state goes first so that whoever hears an end sees the request already gone from the list.
     */
    private void emit(Job job, EngineEvent event) {
        tracker.apply(event);
        try {
            job.sink.accept(event);
        } catch (RuntimeException | Error e) {
            LOG.warn("event sink of {} failed ({}); cancelling it", job.id, e.toString());
            job.cancelRequested = true;
        }
    }
}
