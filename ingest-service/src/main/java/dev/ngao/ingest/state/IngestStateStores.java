package dev.ngao.ingest.state;

import dev.ngao.platform.rocksdb.RocksStore;
import org.apache.kafka.common.utils.Utils;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Where ingest keeps its folds of Kafka topics off the Java heap: one RocksDB database per fold, each in a
 * directory of its own under one root, all sharing one LRU block cache with their memtables charged to it, so
 * the native memory of every store together stays about {@code memoryBytes}.
 *
 * <p>These stores are caches, not records: Kafka is the record. Each store is emptied when opened, and every fold
 * is rebuilt from its topics at every start, exactly as the in-memory maps they replace were; nothing here is
 * recovered after a crash, so writes skip RocksDB's write-ahead log ({@link #unlogged()}). Without a configured
 * root the stores live in a fresh directory under {@code java.io.tmpdir}, deleted on {@link #close()}.
 *
 * <p>Thread-safe. Close after every store it opened is no longer used: it closes them, then frees the cache.
 */
public final class IngestStateStores implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestStateStores.class);
    /** The share of the memory budget memtables may take; the rest caches blocks read. */
    private static final double WRITE_BUFFER_SHARE = 0.5;
    /**
     * Memtable size of each column family, rather than RocksDB's 64 MiB: unflushed writes are resident memory,
     * and the write buffer manager flushes the largest once all of them together reach their share.
     */
    private static final long FAMILY_WRITE_BUFFER_BYTES = 4L * 1024 * 1024;

    static {
        RocksDB.loadLibrary();
    }

    private final Path root;
    private final boolean temporary;
    private final LRUCache blockCache;
    private final WriteBufferManager writeBuffers;
    /** No write-ahead log: a store is rebuilt from Kafka at every start, so a log would protect nothing. */
    private final WriteOptions unlogged = new WriteOptions().setDisableWAL(true);
    private final List<RocksStore> opened = new ArrayList<>();
    private boolean closed;

    private IngestStateStores(Path root, boolean temporary, long memoryBytes) {
        this.root = root;
        this.temporary = temporary;
        this.blockCache = new LRUCache(memoryBytes);
        this.writeBuffers = new WriteBufferManager((long) (memoryBytes * WRITE_BUFFER_SHARE), blockCache);
    }

    /**
     * Opens the stores' root: {@code directory}, or a fresh temporary directory when empty. Only the directories
     * of the stores opened here are emptied ({@link #open(String, List, BiFunction)}), never the root itself: it
     * may be shared.
     *
     * @param memoryBytes the block cache shared by every store, memtables included
     */
    public static IngestStateStores open(Optional<Path> directory, long memoryBytes) {
        try {
            if (directory.isPresent()) {
                return new IngestStateStores(Files.createDirectories(directory.get()), false, memoryBytes);
            }
            return new IngestStateStores(Files.createTempDirectory("ngao-ingest-state-"), true, memoryBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare ingest's state directory " + directory.orElse(null), e);
        }
    }

    /** Stores in a fresh temporary directory, deleted on close, with a small cache: for tests and tools. */
    public static IngestStateStores temporary() {
        return open(Optional.empty(), 8L * 1024 * 1024);
    }

    /**
     * Opens an empty store named {@code name}: its directory ({@code name} and a number, so two stores of one
     * name can live side by side) is emptied first, since what a previous run left there is stale. With Bloom
     * filters, since most lookups are of ids not seen yet, and the shared memory budget.
     */
    public synchronized RocksStore open(String name, List<String> families,
                                        BiFunction<String, Throwable, RuntimeException> failure) {
        if (closed) {
            throw new IllegalStateException("ingest's state stores are closed");
        }
        Path directory = root.resolve(name + "-" + (opened.size() + 1));
        try {
            Utils.delete(directory.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty ingest's state store " + directory, e);
        }
        RocksStore store = RocksStore.at(directory, "ingest " + name + " store")
                .families(families)
                .bloomFilter()
                .blockCache(blockCache)
                .tuneDatabase(options -> options.setWriteBufferManager(writeBuffers))
                .tuneFamilies(family -> family.setWriteBufferSize(FAMILY_WRITE_BUFFER_BYTES))
                .failure(failure)
                .open();
        opened.add(store);
        return store;
    }

    /** The options of every write to these stores: not logged, see the class comment. */
    public WriteOptions unlogged() {
        return unlogged;
    }

    public Path root() {
        return root;
    }

    /** Closes every store opened here, frees the shared memory, and deletes a temporary root. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        opened.forEach(RocksStore::close);
        unlogged.close();
        writeBuffers.close();
        blockCache.close();
        if (temporary) {
            try {
                Utils.delete(root.toFile());
            } catch (IOException e) {
                LOG.warn("Cannot delete ingest's temporary state directory {}: {}", root, e.getMessage());
            }
        }
    }
}
