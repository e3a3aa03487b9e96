package dev.ngao.platform.kafka;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedBatchTest {

    @Test
    void shouldHandleDifferentKeysAtOnceAndEachKeysItemsInOrder() throws Exception {
        try (KeyedBatch batch = new KeyedBatch("test", 3)) {
            // Given items of three keys, interleaved, whose first items can only pass together
            List<String> items = List.of("a1", "b1", "c1", "a2", "b2", "a3", "c2");
            CyclicBarrier allThreeFirsts = new CyclicBarrier(3);
            Map<String, List<String>> seen = new ConcurrentHashMap<>();

            // When handled
            batch.handle(items, item -> item.substring(0, 1), item -> {
                if (item.endsWith("1")) {
                    await(allThreeFirsts);
                }
                seen.computeIfAbsent(item.substring(0, 1), key -> Collections.synchronizedList(new ArrayList<>()))
                        .add(item);
            });

            // Then the three first items were handled at the same time (one at a time would never pass the
            // barrier), and every key's items in their order
            assertThat(seen).containsOnlyKeys("a", "b", "c");
            assertThat(seen.get("a")).containsExactly("a1", "a2", "a3");
            assertThat(seen.get("b")).containsExactly("b1", "b2");
            assertThat(seen.get("c")).containsExactly("c1", "c2");
        }
    }

    @Test
    void shouldThrowTheFailureOnlyOnceEveryOtherKeyIsDone() {
        try (KeyedBatch batch = new KeyedBatch("test", 2)) {
            // Given a batch where one key fails at once and another takes a while
            AtomicInteger finished = new AtomicInteger();
            List<String> items = List.of("bad", "slow1", "slow2", "slow3");

            // When handled, then the failure comes out, after the other key's items all ran
            assertThatThrownBy(() -> batch.handle(items, item -> item.startsWith("slow") ? "slow" : item, item -> {
                if (item.equals("bad")) {
                    throw new IllegalStateException("not acknowledged");
                }
                sleep(50);
                finished.incrementAndGet();
            })).isInstanceOf(IllegalStateException.class).hasMessage("not acknowledged");
            assertThat(finished).hasValue(3);
        }
    }

    @Test
    void shouldRunABatchOfOneKeyOnTheCallersThread() throws Exception {
        try (KeyedBatch batch = new KeyedBatch("test", 4)) {
            List<Thread> threads = new ArrayList<>();
            batch.handle(List.of("x1", "x2"), item -> "x", item -> threads.add(Thread.currentThread()));
            assertThat(threads).containsOnly(Thread.currentThread());
        }
    }

    @Test
    void shouldRefuseNoWorkers() {
        assertThatThrownBy(() -> new KeyedBatch("test", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the first items were not handled at the same time", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
