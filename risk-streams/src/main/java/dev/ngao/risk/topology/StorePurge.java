package dev.ngao.risk.topology;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/** Deletes expired entries of a key-value store, at most a bounded number per call. */
final class StorePurge {

    private StorePurge() {
    }

    /**
     * Deletes up to {@code maxDeleted} entries matching {@code expired}. Keys are collected first and
     * deleted after the iterator is closed, so no write happens under an open iterator.
     *
     * @return how many entries were deleted
     */
    static <K, V> int deleteMatching(KeyValueStore<K, V> store, int maxDeleted, BiPredicate<K, V> expired) {
        List<K> doomed = new ArrayList<>();
        try (KeyValueIterator<K, V> entries = store.all()) {
            while (entries.hasNext() && doomed.size() < maxDeleted) {
                KeyValue<K, V> entry = entries.next();
                if (expired.test(entry.key, entry.value)) {
                    doomed.add(entry.key);
                }
            }
        }
        doomed.forEach(store::delete);
        return doomed.size();
    }
}
