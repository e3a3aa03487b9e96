package dev.ngao.platform.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Handles a batch of items with one key's items in order and different keys' items at once, on a fixed number of
 * worker threads, and returns when every item is handled. For a consumer whose handling of one record waits on
 * several Kafka round trips (a lock, a read-back, a write): one record at a time caps it at a few records a second
 * on a busy host, whatever the load, while records of different transactions never touch each other's state.
 *
 * <p>Written here rather than taken from a library: what it needs is a plain {@link ExecutorService} and a
 * grouping; a key's items run as one task, so their order holds without any lock.
 *
 * <p>The first failure of any task is thrown (as is, when unchecked) once every task has ended, so the caller
 * never commits a batch part of which is still running. A batch of one key runs on the caller's thread.
 */
public final class KeyedBatch implements AutoCloseable {

    private final ExecutorService workers;
    private final int parallelism;

    /** @param parallelism worker threads, at least 1; {@code name} names them ({@code name-1}, ...) */
    public KeyedBatch(String name, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        Objects.requireNonNull(name, "name");
        AtomicInteger count = new AtomicInteger();
        this.parallelism = parallelism;
        this.workers = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public int parallelism() {
        return parallelism;
    }

    /**
     * Runs {@code handler} on every item, the items of one key (by {@code keyOf}) in their order in {@code items}.
     *
     * @throws InterruptedException if the caller was interrupted while waiting; the tasks are then cancelled
     */
    public <T> void handle(List<T> items, Function<T, String> keyOf, Consumer<T> handler) throws InterruptedException {
        Map<String, List<T>> byKey = new LinkedHashMap<>();
        for (T item : items) {
            byKey.computeIfAbsent(keyOf.apply(item), ignored -> new ArrayList<>()).add(item);
        }
        if (byKey.size() <= 1) {
            items.forEach(handler);
            return;
        }
        List<Future<?>> tasks = new ArrayList<>(byKey.size());
        for (List<T> ofKey : byKey.values()) {
            tasks.add(workers.submit(() -> ofKey.forEach(handler)));
        }
        Throwable first = null;
        try {
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                    }
                }
            }
        } catch (InterruptedException e) {
            tasks.forEach(task -> task.cancel(true));
            throw e;
        }
        if (first instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    /** Interrupts running tasks and waits for the workers to end, at most {@code timeoutMs}. */
    public void close(long timeoutMs) {
        workers.shutdownNow();
        try {
            workers.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}
