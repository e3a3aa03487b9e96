package dev.ngao.risk;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Bounds the off-heap memory of every RocksDB store of the process together, as Kafka Streams' memory
 * management guide does: one LRU block cache shared by all stores (index and filter blocks cached in it, at
 * high priority), and a write buffer manager that charges every memtable to the same cache. Without it each
 * store, partition and window segment gets its own cache and memtables, and memory grows with them.
 *
 * <p>The cache is built once per process from {@value #MEMORY_BYTES} in the Streams configuration (the first
 * store to open decides) and never closed by a store: every store shares it.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    /** Streams configuration key with the process's total RocksDB memory, bytes. */
    public static final String MEMORY_BYTES = "ngao.rocksdb.memory.bytes";

    /** A quarter of the memory is for memtables, the rest for cached blocks. */
    private static final double WRITE_BUFFER_SHARE = 0.25;
    /** Index and filter blocks get up to a tenth of the cache at high priority, so reads keep their indexes. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    private static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final int MEMTABLES = 3;
    private static final long BLOCK_BYTES = 16L * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void share(long memoryBytes) {
        if (cache == null) {
            cache = new LRUCache(memoryBytes, -1, false, HIGH_PRIORITY_SHARE);
            writeBufferManager = new WriteBufferManager((long) (memoryBytes * WRITE_BUFFER_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(MEMORY_BYTES);
        share(configured == null ? 256L * 1024 * 1024 : Long.parseLong(configured.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_BYTES);
        options.setWriteBufferManager(writeBufferManager);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store of the process: not closed per store.
    }
}
