package dev.ngao.platform.rocksdb;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedMemoryRocksDbConfigTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldBoundEveryStoresMemtablesAndCacheItsIndexAndFilterBlocksWhenConfigured() {
        // Given two stores' options, configured as Kafka Streams configures each store
        BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();
        Map<String, Object> configs = streamsConfig("app-bounded", BoundedMemoryRocksDbConfig.properties(
                "pool-bounded", 64L * 1024 * 1024));
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());

            // When the setter configures both
            setter.setConfig("store-a", first, configs);
            setter.setConfig("store-b", second, configs);

            // Then both write into bounded memtables and cache their index and filter blocks in the shared cache
            for (Options options : new Options[]{first, second}) {
                assertThat(options.writeBufferSize()).isEqualTo(16L * 1024 * 1024);
                assertThat(options.maxWriteBufferNumber()).isEqualTo(3);
                BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
                assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
                assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
                assertThat(table.blockSize()).isEqualTo(16L * 1024);
            }
            setter.close("store-a", first);
            setter.close("store-b", second);
        }
    }

    @Test
    void shouldShareOneCacheWithinAPoolAndGiveEachPoolItsOwnBudget() {
        // Given two applications naming one pool, and a third naming another
        Map<String, Object> matching = streamsConfig("app-matching",
                BoundedMemoryRocksDbConfig.properties("pool-shared", 32L * 1024 * 1024));
        Map<String, Object> submission = streamsConfig("app-submission",
                BoundedMemoryRocksDbConfig.properties("pool-shared", 32L * 1024 * 1024));
        Map<String, Object> other = streamsConfig("app-other",
                BoundedMemoryRocksDbConfig.properties("pool-other", 8L * 1024 * 1024));

        // When their pools are looked up
        BoundedMemoryRocksDbConfig.Pool shared = BoundedMemoryRocksDbConfig.pool(matching);

        // Then the first two share one cache and write buffer manager, the third has its own with its own budget
        assertThat(BoundedMemoryRocksDbConfig.pool(submission)).isSameAs(shared);
        BoundedMemoryRocksDbConfig.Pool separate = BoundedMemoryRocksDbConfig.pool(other);
        assertThat(separate).isNotSameAs(shared);
        assertThat(separate.cache()).isNotSameAs(shared.cache());
        assertThat(shared.memoryBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(separate.memoryBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void shouldNameThePoolAfterTheApplicationWhenNoneIsConfigured() {
        // Given an application that configures a budget but no pool
        Map<String, Object> configs = streamsConfig("app-unnamed", Map.of(BoundedMemoryRocksDbConfig.MEMORY_BYTES,
                16L * 1024 * 1024));

        // When its pool is looked up, then it is the application's own, with the configured budget
        BoundedMemoryRocksDbConfig.Pool pool = BoundedMemoryRocksDbConfig.pool(configs);
        assertThat(pool.memoryBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(BoundedMemoryRocksDbConfig.pool(streamsConfig("app-unnamed", Map.of()))).isSameAs(pool);
        assertThat(BoundedMemoryRocksDbConfig.pool(streamsConfig("app-unnamed-2", Map.of())))
                .isNotSameAs(pool)
                .extracting(BoundedMemoryRocksDbConfig.Pool::memoryBytes)
                .isEqualTo(BoundedMemoryRocksDbConfig.DEFAULT_MEMORY_BYTES);
    }

    @Test
    void shouldRefuseABudgetThatIsNotPositive() {
        assertThatThrownBy(() -> BoundedMemoryRocksDbConfig.properties("pool", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }

    private static Map<String, Object> streamsConfig(String applicationId, Map<String, Object> memory) {
        Map<String, Object> configs = new HashMap<>(memory);
        configs.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        return configs;
    }
}
