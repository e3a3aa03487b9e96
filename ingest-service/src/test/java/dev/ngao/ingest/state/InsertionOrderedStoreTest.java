package dev.ngao.ingest.state;

import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The LinkedHashMap semantics the bounded views keep in RocksDB: insertion order, updates keep their place. */
class InsertionOrderedStoreTest {

    private final IngestStateStores stores = IngestStateStores.temporary();
    private final RocksStore rocks = stores.open("ordered", InsertionOrderedStore.families("map"),
            IllegalStateException::new);

    @AfterEach
    void closeStores() {
        stores.close();
    }

    @Test
    void shouldEvictTheKeyInsertedFirstEvenWhenItWasUpdatedSince() {
        // Given a map of two keys, the first updated after the second was inserted
        InsertionOrderedStore map = InsertionOrderedStore.in(stores, rocks, "map", 2);
        map.put(key("a"), key("1"));
        map.put(key("b"), key("2"));
        map.put(key("a"), key("3"));

        // When a third key comes
        map.put(key("c"), key("4"));

        // Then the first inserted goes, as in a LinkedHashMap in insertion order; the others keep their values
        assertThat(map.get(key("a"))).isNull();
        assertThat(map.get(key("b"))).isEqualTo(key("2"));
        assertThat(map.get(key("c"))).isEqualTo(key("4"));
        assertThat(map.size()).isEqualTo(2);
    }

    @Test
    void shouldKeepEvictingInOrderWhenManyMoreKeysComeThanTheBound() {
        InsertionOrderedStore map = InsertionOrderedStore.in(stores, rocks, "map", 3);

        for (int index = 0; index < 1_000; index++) {
            map.put(key("k" + index), key("v" + index));
        }

        assertThat(map.size()).isEqualTo(3);
        assertThat(map.get(key("k996"))).isNull();
        assertThat(map.get(key("k997"))).isEqualTo(key("v997"));
        assertThat(map.get(key("k999"))).isEqualTo(key("v999"));
    }

    private static byte[] key(String text) {
        return RocksCodec.utf8(text);
    }
}
