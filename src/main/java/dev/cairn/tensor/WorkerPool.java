package dev.cairn.tensor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Persistent workers for the kernels. A decode step forks and joins ~7 times per layer, so a fork must cost
 * microseconds: workers spin for a short while after each job (catching the next one without a wake-up) and only
 * then park. The calling thread takes part in the work; tasks are claimed one by one from a shared counter, so a
 * worker that was descheduled (the cores are shared) delays nothing but its own task.
 */
public final class WorkerPool implements ThreadPool {
    /** How long an idle worker keeps spinning before it parks. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** True on a thread while it runs tasks of a job. */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submitLock = new ReentrantLock();
    /** The job being run; workers detect a new one by identity. */
    private volatile Job current;
    private volatile boolean closed;

    public WorkerPool() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread.start();
        }
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void parallelFor(int tasks, IndexTask task) {
        if (tasks <= 0) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        // A task that itself calls parallelFor runs its loop inline: the workers are busy with the outer job, so
        // waiting for them could deadlock. Calls from different outside threads queue behind each other.
        if (tasks == 1 || workers.length == 0 || INSIDE.get()) {
            runInline(tasks, task);
            return;
        }
        submitLock.lock();
        try {
            Job job = new Job(tasks, task, Thread.currentThread());
            current = job;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w.thread);
                }
            }
            INSIDE.set(true);
            try {
                job.work();
            } finally {
                INSIDE.set(false);
            }
            job.awaitDone();
            current = null;
            job.rethrow();
        } finally {
            submitLock.unlock();
        }
    }

    private static void runInline(int tasks, IndexTask task) {
        for (int i = 0; i < tasks; i++) {
            task.run(i);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
        for (Worker w : workers) {
            try {
                w.thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One parallelFor call: its own claim and completion counters, so a late worker can never touch a newer job. */
    private static final class Job {
        final int tasks;
        final IndexTask task;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        volatile boolean callerParked;

        Job(int tasks, IndexTask task, Thread caller) {
            this.tasks = tasks;
            this.task = task;
            this.caller = caller;
        }

        void work() {
            int i;
            while ((i = next.getAndIncrement()) < tasks) {
                try {
                    if (error.get() == null) {
                        task.run(i);
                    }
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                }
                if (done.incrementAndGet() == tasks && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void awaitDone() {
            long start = System.nanoTime();
            while (done.get() < tasks) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (done.get() < tasks) {
                        LockSupport.parkNanos(this, 100_000);
                    }
                }
            }
        }

        void rethrow() {
            Throwable t = error.get();
            if (t == null) {
                return;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new RuntimeException(t);
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        volatile boolean parked;

        Worker(int index) {
            thread = new Thread(this, "cairn-worker-" + index);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            INSIDE.set(true);
            Job last = null;
            while (!closed) {
                Job job = awaitNewJob(last);
                if (job == null) {
                    continue;
                }
                last = job;
                job.work();
            }
        }

        private Job awaitNewJob(Job last) {
            long start = System.nanoTime();
            int spins = 0;
            while (!closed) {
                Job job = current;
                if (job != null && job != last) {
                    return job;
                }
                if (((++spins & 63) != 0) || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                job = current;
                if (job == null || job == last) {
                    LockSupport.park(this);
                }
                parked = false;
                start = System.nanoTime();
            }
            return null;
        }
    }
}
