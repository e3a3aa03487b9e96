package dev.ngao.reconciler.view;

import dev.ngao.platform.rocksdb.RocksStore;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import static dev.ngao.platform.rocksdb.RocksCodec.longBytes;
import static dev.ngao.platform.rocksdb.RocksCodec.offsetKey;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;
import static dev.ngao.reconciler.view.ViewKeys.indexKey;
import static dev.ngao.reconciler.view.ViewKeys.pendingKey;
import static dev.ngao.reconciler.view.ViewKeys.referenceKey;

/**
 * The view's database and every write to it: the view batches with their index changes and offsets (one synced
 * write each), the chaser's and the breaks' own families, and the temporary family of each report run.
 */
final class ViewStorage implements AutoCloseable {

    private final RocksStore rocks;
    private final Map<ViewFamily, ColumnFamilyHandle> families = new EnumMap<>(ViewFamily.class);

    private ViewStorage(RocksStore rocks) {
        this.rocks = rocks;
        for (ViewFamily family : ViewFamily.values()) {
            families.put(family, rocks.family(family.familyName()));
        }
    }

    /** Opens, creating if needed; column families of report runs left by a crash are dropped. */
    static ViewStorage open(Path directory) {
        // Bloom filters: most lookups of a new payment miss, and a miss should not read every level.
        return new ViewStorage(RocksStore.at(directory, "ledger view")
                .families(Arrays.stream(ViewFamily.values()).map(ViewFamily::familyName).toList())
                .bloomFilter()
                .dropFamiliesStartingWith(ViewFamily.RUN_FAMILY_PREFIX)
                // 8 MiB memtables rather than RocksDB's 64 MiB: unflushed writes are resident memory, per family.
                .tuneFamilies(family -> family.setWriteBufferSize(8L * 1024 * 1024))
                .failure(PostedPaymentsViewException::new)
                .open());
    }

    RocksStore rocks() {
        return rocks;
    }

    ColumnFamilyHandle family(ViewFamily family) {
        return families.get(family);
    }

    /** Writes a batch's payments, index changes and offsets atomically and durably. */
    void commit(ViewBatch batch) {
        rocks.write(true, write -> {
            for (ViewBatch.Change change : batch.changes()) {
                addChange(write, change.before(), change.after());
            }
            for (Map.Entry<TopicPartition, Long> offset : batch.nextOffsets().entrySet()) {
                write.put(family(ViewFamily.OFFSETS), offsetKey(offset.getKey()), longBytes(offset.getValue()));
            }
        });
    }

    private void addChange(WriteBatch write, ViewPayment before, ViewPayment after) throws RocksDBException {
        byte[] beforeIndex = indexKey(before);
        byte[] afterIndex = indexKey(after);
        if (beforeIndex != null && !Arrays.equals(beforeIndex, afterIndex)) {
            write.delete(family(ViewFamily.DAY_INDEX), beforeIndex);
        }
        byte[] encoded = after.encode();
        if (afterIndex != null) {
            write.put(family(ViewFamily.DAY_INDEX), afterIndex, encoded);
        }
        byte[] beforePending = pendingKey(before);
        byte[] afterPending = pendingKey(after);
        if (beforePending != null && !Arrays.equals(beforePending, afterPending)) {
            write.delete(family(ViewFamily.PENDING), beforePending);
        }
        if (afterPending != null) {
            write.put(family(ViewFamily.PENDING), afterPending, new byte[0]);
        }
        write.put(family(ViewFamily.PAYMENTS), utf8(after.transactionId()), encoded);
        if (after.provider() != null && after.providerReference() != null) {
            write.put(family(ViewFamily.REFERENCES), referenceKey(after.provider(), after.providerReference()),
                    utf8(after.transactionId()));
        }
    }

    void deletePending(byte[] key) {
        rocks.read(db -> {
            db.delete(family(ViewFamily.PENDING), rocks.syncWrite(), key);
            return null;
        });
    }

    void putChaseState(String transactionId, byte[] state) {
        rocks.read(db -> {
            db.put(family(ViewFamily.CHASE), rocks.syncWrite(), utf8(transactionId), state);
            return null;
        });
    }

    void endChase(String transactionId, String breakId) {
        rocks.write(true, write -> {
            write.delete(family(ViewFamily.CHASE), utf8(transactionId));
            if (breakId != null) {
                write.delete(family(ViewFamily.EMITTED_BREAKS), utf8(breakId));
            }
        });
    }

    void markEmitted(Map<String, Long> detectedAtByBreakId) {
        rocks.write(true, write -> {
            for (Map.Entry<String, Long> emitted : detectedAtByBreakId.entrySet()) {
                write.put(family(ViewFamily.EMITTED_BREAKS), utf8(emitted.getKey()), longBytes(emitted.getValue()));
            }
        });
    }

    /** A new temporary column family for one report run. */
    ColumnFamilyHandle createRunFamily(String runId) {
        return rocks.read(db -> db.createColumnFamily(new ColumnFamilyDescriptor(
                utf8(ViewFamily.RUN_FAMILY_PREFIX + runId + ":" + System.nanoTime()), rocks.familyOptions())));
    }

    void writeRun(WriteBatch batch, WriteOptions unlogged) {
        rocks.read(db -> {
            db.write(unlogged, batch);
            return null;
        });
    }

    RocksIterator runIterator(ColumnFamilyHandle handle) {
        return rocks.read(db -> db.newIterator(handle));
    }

    void dropRun(ColumnFamilyHandle handle) {
        rocks.read(db -> {
            db.dropColumnFamily(handle);
            handle.close();
            return null;
        });
    }

    @Override
    public void close() {
        rocks.close();
    }
}
