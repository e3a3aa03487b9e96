package dev.ngao.risk;

import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedMemoryRocksDbConfigTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void shouldBoundEveryStoresMemtablesAndCacheItsIndexAndFilterBlocksWhenConfigured() {
        // Given two stores' options, configured as Kafka Streams configures each store
        BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();
        Map<String, Object> configs = Map.of(BoundedMemoryRocksDbConfig.MEMORY_BYTES, 64L * 1024 * 1024);
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
}
