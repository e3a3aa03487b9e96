package dev.ngao.platform.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The skeleton every RocksDB store of Ngao shares: one database in a directory with named column families (and
 * RocksDB's default one), options said explicitly, a synced and a plain write, and a close that frees the native
 * objects only once no reader is inside ({@link #read}). Each store keeps its own key layout and its own exception
 * type ({@link Builder#failure}); this class knows nothing of what is stored.
 *
 * <p>Thread safety: RocksDB serves concurrent readers and writers itself; the read-write lock here only keeps
 * {@link #close()} from freeing the database under a user.
 */
public final class RocksStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);

    /** Bits per key of the Bloom filters: about 1 % false positives. */
    private static final int BLOOM_BITS_PER_KEY = 10;
    /** Native, shared by every store of the process that asks for a filter, never freed (one per process). */
    private static final BloomFilter BLOOM_FILTER;

    static {
        RocksDB.loadLibrary();
        BLOOM_FILTER = new BloomFilter(BLOOM_BITS_PER_KEY, false);
    }

    /** Work on the open database; may throw RocksDB's checked exception, which {@link #read} translates. */
    @FunctionalInterface
    public interface Action<T> {
        T run(RocksDB db) throws RocksDBException;
    }

    /** Fills a write batch applied atomically by {@link #write}. */
    @FunctionalInterface
    public interface BatchFill {
        void fill(WriteBatch batch) throws RocksDBException;
    }

    private final String description;
    private final DBOptions options;
    private final ColumnFamilyOptions familyOptions;
    private final List<ColumnFamilyHandle> handles;
    private final Map<String, ColumnFamilyHandle> families;
    private final RocksDB db;
    private final WriteOptions syncWrite = new WriteOptions().setSync(true);
    private final WriteOptions plainWrite = new WriteOptions();
    private final BiFunction<String, Throwable, RuntimeException> failure;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private RocksStore(Builder builder, DBOptions options, ColumnFamilyOptions familyOptions,
                       List<ColumnFamilyHandle> handles, RocksDB db) {
        this.description = builder.description;
        this.options = options;
        this.familyOptions = familyOptions;
        this.handles = handles;
        this.db = db;
        this.failure = builder.failure;
        this.families = new LinkedHashMap<>();
        for (int index = 0; index < builder.families.size(); index++) {
            // handles.get(0) is RocksDB's default family.
            families.put(builder.families.get(index), handles.get(index + 1));
        }
    }

    /** A store of {@code description} (named in errors and logs) in {@code directory}. */
    public static Builder at(Path directory, String description) {
        return new Builder(directory, description);
    }

    /** The handle of a column family named when opening. */
    public ColumnFamilyHandle family(String name) {
        ColumnFamilyHandle handle = families.get(name);
        if (handle == null) {
            throw new IllegalArgumentException("no column family " + name + " in the " + description);
        }
        return handle;
    }

    /** The options every column family of this store is made with, for families created later. */
    public ColumnFamilyOptions familyOptions() {
        return familyOptions;
    }

    /** Runs {@code action} on the open database; a RocksDB failure becomes the store's own exception. */
    public <T> T read(Action<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw failure.apply("the " + description + " is closed", null);
            }
            return action.run(db);
        } catch (RocksDBException e) {
            throw failure.apply("the " + description + " failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Applies what {@code fill} puts in one batch atomically; fsynced when {@code sync}. */
    public void write(boolean sync, BatchFill fill) {
        read(database -> {
            try (WriteBatch batch = new WriteBatch()) {
                fill.fill(batch);
                database.write(sync ? syncWrite : plainWrite, batch);
            }
            return null;
        });
    }

    /** The write options of a durable write (the write-ahead log fsynced before it returns). */
    public WriteOptions syncWrite() {
        return syncWrite;
    }

    /** The write options of a write made durable later (a sync, or the next synced write). */
    public WriteOptions plainWrite() {
        return plainWrite;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            handles.forEach(ColumnFamilyHandle::close);
            db.closeE();
        } catch (RocksDBException e) {
            LOG.warn("Closing the {} reported: {}", description, e.getMessage());
        } finally {
            syncWrite.close();
            plainWrite.close();
            familyOptions.close();
            options.close();
            lock.writeLock().unlock();
        }
    }

    /** How to open a store; the defaults create what is missing and set no table options. */
    public static final class Builder {

        private final Path directory;
        private final String description;
        private final List<String> families = new ArrayList<>();
        private boolean bloomFilter;
        private Cache blockCache;
        private boolean readOnly;
        private String dropFamiliesStartingWith;
        private BiFunction<String, Throwable, RuntimeException> failure = IllegalStateException::new;
        private Consumer<DBOptions> databaseTuning = options -> { };
        private Consumer<ColumnFamilyOptions> familyTuning = options -> { };

        private Builder(Path directory, String description) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.description = Objects.requireNonNull(description, "description");
        }

        /** Column families (besides RocksDB's default one), created when missing. */
        public Builder families(List<String> names) {
            families.addAll(names);
            return this;
        }

        /**
         * A Bloom filter (10 bits per key) on every column family: a lookup of a key that is not there (the common
         * case of a new id) then reads no block of the levels that cannot hold it.
         */
        public Builder bloomFilter() {
            this.bloomFilter = true;
            return this;
        }

        /** A block cache shared by every column family (RocksDB's own 8 MiB per family otherwise). */
        public Builder blockCache(Cache cache) {
            this.blockCache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** Opens for reading only; the directory must hold a database. */
        public Builder readOnly() {
            this.readOnly = true;
            return this;
        }

        /** Drops, at open, the column families left from before whose names start with {@code prefix}. */
        public Builder dropFamiliesStartingWith(String prefix) {
            this.dropFamiliesStartingWith = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Database options this builder does not name (memory limits, for one), set after its own. */
        public Builder tuneDatabase(Consumer<DBOptions> tuning) {
            this.databaseTuning = Objects.requireNonNull(tuning, "tuning");
            return this;
        }

        /** Column family options this builder does not name (write buffer sizes, for one), set after its own. */
        public Builder tuneFamilies(Consumer<ColumnFamilyOptions> tuning) {
            this.familyTuning = Objects.requireNonNull(tuning, "tuning");
            return this;
        }

        /** Makes the store's exceptions (message, cause that may be null). */
        public Builder failure(BiFunction<String, Throwable, RuntimeException> failure) {
            this.failure = Objects.requireNonNull(failure, "failure");
            return this;
        }

        public RocksStore open() {
            DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
            ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
            if (bloomFilter || blockCache != null) {
                BlockBasedTableConfig table = new BlockBasedTableConfig();
                if (bloomFilter) {
                    table.setFilterPolicy(BLOOM_FILTER);
                }
                if (blockCache != null) {
                    table.setBlockCache(blockCache);
                }
                familyOptions.setTableFormatConfig(table);
            }
            databaseTuning.accept(options);
            familyTuning.accept(familyOptions);
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = null;
            try {
                List<byte[]> leftOver = leftOverFamilies(options, familyOptions);
                List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
                descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
                for (String family : families) {
                    descriptors.add(new ColumnFamilyDescriptor(RocksCodec.utf8(family), familyOptions));
                }
                leftOver.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(name, familyOptions)));
                if (readOnly) {
                    db = RocksDB.openReadOnly(options, directory.toString(), descriptors, handles);
                } else {
                    Files.createDirectories(directory);
                    db = RocksDB.open(options, directory.toString(), descriptors, handles);
                }
                for (int index = handles.size() - 1; index > families.size(); index--) {
                    db.dropColumnFamily(handles.get(index));
                    handles.remove(index).close();
                }
                if (!leftOver.isEmpty()) {
                    LOG.info("Dropped {} column famil{} left in the {}", leftOver.size(),
                            leftOver.size() == 1 ? "y" : "ies", description);
                }
                return new RocksStore(this, options, familyOptions, handles, db);
            } catch (RocksDBException | IOException | RuntimeException e) {
                handles.forEach(ColumnFamilyHandle::close);
                if (db != null) {
                    db.close();
                }
                familyOptions.close();
                options.close();
                throw failure.apply("Cannot open the " + description + " at " + directory, e);
            }
        }

        private List<byte[]> leftOverFamilies(DBOptions options, ColumnFamilyOptions familyOptions)
                throws RocksDBException {
            if (dropFamiliesStartingWith == null || readOnly || !Files.exists(directory.resolve("CURRENT"))) {
                return List.of();
            }
            List<byte[]> names = new ArrayList<>();
            try (Options listing = new Options(options, familyOptions)) {
                for (byte[] name : RocksDB.listColumnFamilies(listing, directory.toString())) {
                    if (RocksCodec.string(name).startsWith(dropFamiliesStartingWith)) {
                        names.add(name);
                    }
                }
            }
            return names;
        }
    }
}
