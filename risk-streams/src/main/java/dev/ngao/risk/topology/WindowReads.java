package dev.ngao.risk.topology;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Instant;

/**
 * Range reads of a window store in epoch milliseconds. A processor's stores are {@link WindowStore}s, read
 * through their millisecond methods; an interactive query's are only {@link ReadOnlyWindowStore}s, read through
 * the {@link Instant} ones. Why not always the latter: Kafka Streams formats the message it would throw for an
 * invalid instant on every call, valid or not ({@code ApiUtils.prepareMillisCheckFailMsgPrefix}), which was 4 %
 * of the decision core's CPU in a profile of {@code bench/core.sh}.
 */
final class WindowReads {

    private WindowReads() {
    }

    static <V> WindowStoreIterator<V> fetch(ReadOnlyWindowStore<String, V> store, String key, long fromMs, long toMs) {
        if (store instanceof WindowStore<String, V> writable) {
            return writable.fetch(key, fromMs, toMs);
        }
        return store.fetch(key, Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs));
    }

    static <V> WindowStoreIterator<V> backwardFetch(ReadOnlyWindowStore<String, V> store, String key, long fromMs,
                                                    long toMs) {
        if (store instanceof WindowStore<String, V> writable) {
            return writable.backwardFetch(key, fromMs, toMs);
        }
        return store.backwardFetch(key, Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs));
    }

    static <V> KeyValueIterator<Windowed<String>, V> fetch(ReadOnlyWindowStore<String, V> store, String keyFrom,
                                                           String keyTo, long fromMs, long toMs) {
        if (store instanceof WindowStore<String, V> writable) {
            return writable.fetch(keyFrom, keyTo, fromMs, toMs);
        }
        return store.fetch(keyFrom, keyTo, Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs));
    }
}
