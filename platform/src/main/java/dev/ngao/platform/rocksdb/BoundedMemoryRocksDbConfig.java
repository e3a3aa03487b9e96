package dev.ngao.platform.rocksdb;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Bounds the off-heap memory of a Kafka Streams application's RocksDB stores together, as Kafka Streams' memory
 * management guide does: one LRU block cache shared by all stores of a pool (index and filter blocks cached in
 * it, at high priority), and a write buffer manager that charges every memtable to the same cache. Without it
 * each store, partition and window segment gets Kafka Streams' defaults (a 50 MiB block cache and three 16 MiB
 * memtables of its own), and memory grows with their number.
 *
 * <p>A pool is named by {@value #MEMORY_POOL} in the Streams configuration (the application id when absent):
 * applications of one process that name the same pool share one cache (the reconciler's matching and
 * submission applications do), others get their own, so the embedded mode's services keep their own budgets.
 * A pool's cache is built once, by the first store of the pool to open, from {@value #MEMORY_BYTES}, and never
 * closed by a store: the pool's stores share it for the life of the process.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {

    /** Streams configuration key with the pool's total RocksDB memory, bytes. */
    public static final String MEMORY_BYTES = "ngao.rocksdb.memory.bytes";
    /** Streams configuration key naming the pool whose memory the application's stores share. */
    public static final String MEMORY_POOL = "ngao.rocksdb.memory.pool";

    /** A pool's memory when {@value #MEMORY_BYTES} is not configured. */
    static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;
    /** A quarter of the memory is for memtables, the rest for cached blocks. */
    private static final double WRITE_BUFFER_SHARE = 0.25;
    /** Index and filter blocks get up to a tenth of the cache at high priority, so reads keep their indexes. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    /** A memtable's most, and at most this many per store: below a small pool's write budget, which flushes first. */
    private static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final int MEMTABLES = 3;
    private static final long BLOCK_BYTES = 16L * 1024;

    /** The pools of the process, by name; a handful at most (one per Streams application or shared pool). */
    private static final Map<String, Pool> POOLS = new HashMap<>();

    /** One pool's cache and the write buffer manager that charges memtables to it. */
    record Pool(long memoryBytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    /**
     * The Streams settings that bound an application's RocksDB memory: this setter, the pool's budget and its
     * name.
     */
    public static Map<String, Object> properties(String pool, long memoryBytes) {
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("RocksDB memory must be positive: " + memoryBytes);
        }
        return Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class,
                MEMORY_BYTES, memoryBytes, MEMORY_POOL, Objects.requireNonNull(pool, "pool"));
    }

    /** The pool named by the configuration, built at its first use. */
    static synchronized Pool pool(Map<String, Object> configs) {
        Object named = configs.get(MEMORY_POOL);
        String name = String.valueOf(named != null ? named : configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
        return POOLS.computeIfAbsent(name, ignored -> {
            Object configured = configs.get(MEMORY_BYTES);
            long memoryBytes = configured == null ? DEFAULT_MEMORY_BYTES : Long.parseLong(configured.toString());
            Cache cache = new LRUCache(memoryBytes, -1, false, HIGH_PRIORITY_SHARE);
            return new Pool(memoryBytes, cache,
                    new WriteBufferManager((long) (memoryBytes * WRITE_BUFFER_SHARE), cache));
        });
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Pool pool = pool(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(pool.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_BYTES);
        options.setWriteBufferManager(pool.writeBuffers());
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write buffer manager are shared by every store of the pool: not closed per store.
    }
}
