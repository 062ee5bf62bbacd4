package dev.cairn.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void runsEveryIndexExactlyOnceAcrossManyReuses() {
        try (WorkerPool pool = new WorkerPool(3)) {
            assertThat(pool.threads()).isEqualTo(3);
            for (int round = 0; round < 5000; round++) {
                int tasks = 1 + round % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
                pool.parallelFor(tasks, hits::incrementAndGet);
                for (int i = 0; i < tasks; i++) {
                    assertThat(hits.get(i)).as("round %d index %d", round, i).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void usesMoreThanTheCallingThread() {
        try (WorkerPool pool = new WorkerPool(2)) {
            java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int round = 0; round < 200 && seen.size() < 2; round++) {
                pool.parallelFor(64, i -> {
                    seen.add(Thread.currentThread());
                    long end = System.nanoTime() + 20_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                });
            }
            assertThat(seen).hasSize(2).contains(Thread.currentThread());
        }
    }

    @Test
    void propagatesTaskExceptionsAndStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(() -> pool.parallelFor(100, i -> {
                if (i == 57) {
                    throw new IllegalStateException("boom at " + i);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom at 57");
            AtomicInteger count = new AtomicInteger();
            pool.parallelFor(100, i -> count.incrementAndGet());
            assertThat(count).hasValue(100);
        }
    }

    @Test
    void nestedAndConcurrentCallsComplete() throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicInteger inner = new AtomicInteger();
            pool.parallelFor(8, i -> pool.parallelFor(10, j -> inner.incrementAndGet()));
            assertThat(inner).hasValue(80);

            AtomicInteger total = new AtomicInteger();
            Thread other = new Thread(() -> {
                for (int r = 0; r < 500; r++) {
                    pool.parallelFor(10, i -> total.incrementAndGet());
                }
            });
            other.start();
            for (int r = 0; r < 500; r++) {
                pool.parallelFor(10, i -> total.incrementAndGet());
            }
            other.join();
            assertThat(total).hasValue(10_000);
        }
    }

    @Test
    void singleThreadPoolRunsInlineAndClosedPoolRefuses() {
        WorkerPool pool = new WorkerPool(1);
        AtomicInteger count = new AtomicInteger();
        pool.parallelFor(7, i -> {
            assertThat(Thread.currentThread()).isSameAs(Thread.currentThread());
            count.incrementAndGet();
        });
        assertThat(count).hasValue(7);
        pool.close();
        assertThatThrownBy(() -> pool.parallelFor(2, i -> {})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new WorkerPool(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
