package dev.ngao.ingest.state;

import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A bounded map of keys to values in two column families of a {@link RocksStore}, the RocksDB counterpart of a
 * {@code LinkedHashMap} in insertion order whose eldest entry is removed beyond {@code maxEntries}: a new key
 * gets the next sequence number, an update keeps the key's place, and beyond the bound the keys first inserted
 * are evicted first. Family {@code name} maps each key to its sequence number and value, family
 * {@code name + "-order"} each sequence number to its key, so both a lookup and an eviction are point
 * operations (the eviction seeks to the oldest sequence it has not evicted yet).
 *
 * <p>Not thread-safe for writers: its owner serializes {@link #put}; {@link #get} may run beside it.
 */
public final class InsertionOrderedStore {

    private final RocksStore rocks;
    private final IngestStateStores stores;
    private final ColumnFamilyHandle values;
    private final ColumnFamilyHandle order;
    private final long maxEntries;
    private volatile long size;
    private long nextSequence;
    private long oldestSequence;

    private InsertionOrderedStore(IngestStateStores stores, RocksStore rocks, String name, long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.stores = stores;
        this.rocks = rocks;
        this.values = rocks.family(name);
        this.order = rocks.family(orderFamily(name));
        this.maxEntries = maxEntries;
    }

    /** The column families a store named {@code name} needs, to open its {@link RocksStore} with. */
    public static List<String> families(String name) {
        return List.of(name, orderFamily(name));
    }

    /** The map named {@code name} in {@code rocks}, opened with {@link #families}; empty, as every store starts. */
    public static InsertionOrderedStore in(IngestStateStores stores, RocksStore rocks, String name, long maxEntries) {
        return new InsertionOrderedStore(stores, rocks, name, maxEntries);
    }

    private static String orderFamily(String name) {
        return name + "-order";
    }

    /** The value of {@code key}, or null. */
    public byte[] get(byte[] key) {
        byte[] stored = rocks.read(db -> db.get(values, key));
        return stored == null ? null : Arrays.copyOfRange(stored, Long.BYTES, stored.length);
    }

    /** Sets the value of {@code key}; a new key beyond the bound evicts the key inserted first. */
    public void put(byte[] key, byte[] value) {
        boolean added = rocks.read(db -> {
            byte[] stored = db.get(values, key);
            long sequence = stored == null ? nextSequence++ : ByteBuffer.wrap(stored, 0, Long.BYTES).getLong();
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(values, key, RocksCodec.concat(RocksCodec.longBytes(sequence), value));
                if (stored == null) {
                    batch.put(order, RocksCodec.longBytes(sequence), key);
                }
                db.write(stores.unlogged(), batch);
            }
            return stored == null;
        });
        if (added) {
            size++;
            while (size > maxEntries) {
                evictOldest();
            }
        }
    }

    private void evictOldest() {
        rocks.read(db -> {
            try (RocksIterator iterator = db.newIterator(order); WriteBatch batch = new WriteBatch()) {
                iterator.seek(RocksCodec.longBytes(oldestSequence));
                if (!iterator.isValid()) {
                    throw new IllegalStateException("the order of a store holding " + size + " keys is empty");
                }
                oldestSequence = ByteBuffer.wrap(iterator.key()).getLong() + 1;
                batch.delete(order, iterator.key());
                batch.delete(values, iterator.value());
                db.write(stores.unlogged(), batch);
            }
            return null;
        });
        size--;
    }

    public long size() {
        return size;
    }
}
