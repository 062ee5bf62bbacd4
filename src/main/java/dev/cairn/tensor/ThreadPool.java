package dev.cairn.tensor;

/** A persistent pool of worker threads shared by all kernels; no threads are created per token. */
public interface ThreadPool extends AutoCloseable {
    int threads();

    /** Runs {@code task.run(i)} for every i in [0, tasks) across the workers and returns when all are done. */
    void parallelFor(int tasks, IndexTask task);

    @FunctionalInterface
    interface IndexTask {
        void run(int index);
    }

    @Override
    void close();
}
