package dev.ngao.reconciler.view;

import dev.ngao.platform.rocksdb.RocksStore;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.ngao.platform.rocksdb.RocksCodec.SEPARATOR;
import static dev.ngao.platform.rocksdb.RocksCodec.concat;
import static dev.ngao.platform.rocksdb.RocksCodec.longBytes;
import static dev.ngao.platform.rocksdb.RocksCodec.offsetKey;
import static dev.ngao.platform.rocksdb.RocksCodec.readLong;
import static dev.ngao.platform.rocksdb.RocksCodec.startsWith;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;

/**
 * The reconciler's view of the ledger, in RocksDB: every payment's decision, ledger posting and provider
 * word ({@link ViewPayment}), indexed by provider, settlement day and provider reference for report runs,
 * and by pending-since for the stuck-payment chaser. {@link #commit} writes the payments of a poll, their
 * index changes and the next offsets of the partitions read in one {@link WriteBatch} with {@code sync=true},
 * so the view holds all of a poll or none of it and resumes exactly behind what it applied.
 *
 * <p>The same database keeps, in their own column families, the state of stuck-payment chasing, the ids of
 * breaks already emitted (a re-run emits nothing twice), and one temporary column family per report run.
 *
 * <p>Thread safety: one thread commits view batches; report runs, the chaser and the HTTP API read and write
 * their own column families. RocksDB is safe for that; the lock only keeps {@link #close()} from freeing the
 * native database under a user.
 */
public final class LedgerView implements AutoCloseable {

    private static final String RUN_FAMILY_PREFIX = "run:";

    enum Family {
        /** transactionId -> ViewPayment. */
        PAYMENTS("payments"),
        /**
         * provider, 0x00, settlement day (ISO), 0x00, reference -> the ViewPayment itself (a copy, so a run reads
         * the day in one sequential scan, never a random read per payment).
         */
        DAY_INDEX("day-index"),
        /** pending since (8 bytes big-endian, epoch ms), transactionId -> nothing. */
        PENDING("pending"),
        /** topic, 0x00, partition (4) -> next offset (8). */
        OFFSETS("offsets"),
        /** transactionId -> chase state. */
        CHASE("chase"),
        /** breakId -> first detectedAt (8). */
        EMITTED_BREAKS("emitted-breaks"),
        /** provider, 0x00, provider reference -> transactionId: where a reference is, whatever its day. */
        REFERENCES("references");

        private final String familyName;

        Family(String familyName) {
            this.familyName = familyName;
        }
    }

    /** A payment of one provider's settlement day, in reference order. */
    public record IndexedPayment(byte[] reference, ViewPayment payment) {
    }

    private final RocksStore rocks;
    private final Map<Family, ColumnFamilyHandle> families = new EnumMap<>(Family.class);

    private LedgerView(RocksStore rocks) {
        this.rocks = rocks;
        for (Family family : Family.values()) {
            families.put(family, rocks.family(family.familyName));
        }
    }

    /**
     * Opens, creating if needed, the view in {@code directory}. Column families of report runs left by a
     * crash are dropped: a run starts from its report again.
     */
    public static LedgerView open(Path directory) {
        // Bloom filters: most lookups of a new payment miss, and a miss should not read every level.
        return new LedgerView(RocksStore.at(directory, "ledger view")
                .families(Arrays.stream(Family.values()).map(family -> family.familyName).toList())
                .bloomFilter()
                .dropFamiliesStartingWith(RUN_FAMILY_PREFIX)
                // 8 MiB memtables rather than RocksDB's 64 MiB: unflushed writes are resident memory, per family.
                .tuneFamilies(family -> family.setWriteBufferSize(8L * 1024 * 1024))
                .failure(LedgerViewException::new)
                .open());
    }

    /** A new batch of view changes; commit it with {@link #commit}. */
    public ViewBatch newBatch() {
        return new ViewBatch(this::payment);
    }

    /** Writes a batch's payments, index changes and offsets atomically and durably. */
    public void commit(ViewBatch batch) {
        rocks.write(true, write -> {
            for (ViewBatch.Change change : batch.changes()) {
                addChange(write, change.before(), change.after());
            }
            for (Map.Entry<TopicPartition, Long> offset : batch.nextOffsets().entrySet()) {
                write.put(family(Family.OFFSETS), offsetKey(offset.getKey()), longBytes(offset.getValue()));
            }
        });
    }

    private void addChange(WriteBatch write, ViewPayment before, ViewPayment after) throws RocksDBException {
        byte[] beforeIndex = indexKey(before);
        byte[] afterIndex = indexKey(after);
        if (beforeIndex != null && !Arrays.equals(beforeIndex, afterIndex)) {
            write.delete(family(Family.DAY_INDEX), beforeIndex);
        }
        byte[] encoded = after.encode();
        if (afterIndex != null) {
            write.put(family(Family.DAY_INDEX), afterIndex, encoded);
        }
        byte[] beforePending = pendingKey(before);
        byte[] afterPending = pendingKey(after);
        if (beforePending != null && !Arrays.equals(beforePending, afterPending)) {
            write.delete(family(Family.PENDING), beforePending);
        }
        if (afterPending != null) {
            write.put(family(Family.PENDING), afterPending, new byte[0]);
        }
        write.put(family(Family.PAYMENTS), utf8(after.transactionId()), encoded);
        if (after.provider() != null && after.providerReference() != null) {
            write.put(family(Family.REFERENCES), referenceKey(after.provider(), after.providerReference()),
                    utf8(after.transactionId()));
        }
    }

    /** The stored next offset of a partition, if the view has read it. */
    public OptionalLong nextOffset(TopicPartition partition) {
        return rocks.read(db -> {
            return readLong(db.get(family(Family.OFFSETS), offsetKey(partition)));
        });
    }

    public Optional<ViewPayment> payment(String transactionId) {
        return rocks.read(db -> Optional.ofNullable(db.get(family(Family.PAYMENTS), utf8(transactionId)))
                .map(ViewPayment::decode));
    }

    /**
     * The payments of {@code provider}'s settlement {@code day} in reference byte order, read from one snapshot,
     * so a run sees the view as of one moment however long it takes. Close the cursor.
     */
    public DayCursor openDay(String provider, LocalDate day) {
        return rocks.read(db -> new DayCursor(db, dayPrefix(provider, day)));
    }

    /** An iterator over one settlement day's index; holds a snapshot until closed. */
    public final class DayCursor implements Iterator<IndexedPayment>, AutoCloseable {

        private final RocksDB db;
        private final byte[] prefix;
        private final Snapshot snapshot;
        private final ReadOptions read;
        private final RocksIterator index;

        private DayCursor(RocksDB db, byte[] prefix) {
            this.db = db;
            this.prefix = prefix;
            this.snapshot = db.getSnapshot();
            this.read = new ReadOptions().setSnapshot(snapshot);
            this.index = db.newIterator(family(Family.DAY_INDEX), read);
            index.seek(prefix);
        }

        @Override
        public boolean hasNext() {
            return index.isValid() && startsWith(index.key(), prefix);
        }

        @Override
        public IndexedPayment next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[] key = index.key();
            ViewPayment payment = ViewPayment.decode(index.value());
            index.next();
            return new IndexedPayment(Arrays.copyOfRange(key, prefix.length, key.length), payment);
        }

        @Override
        public void close() {
            index.close();
            read.close();
            db.releaseSnapshot(snapshot);
        }
    }

    /** The payment a provider's reference belongs to, whatever its settlement day. */
    public Optional<ViewPayment> paymentByReference(String provider, String reference) {
        return rocks.read(db -> {
            byte[] transactionId = db.get(family(Family.REFERENCES), referenceKey(provider, reference));
            if (transactionId == null) {
                return Optional.<ViewPayment>empty();
            }
            return Optional.ofNullable(db.get(family(Family.PAYMENTS), transactionId)).map(ViewPayment::decode);
        });
    }

    /** Approved payments the provider has not settled, oldest first, pending since no later than {@code untilMs}. */
    public List<ViewPayment> pendingSince(long untilMs, int limit) {
        return rocks.read(db -> {
            List<ViewPayment> pending = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(Family.PENDING))) {
                for (iterator.seekToFirst(); iterator.isValid() && pending.size() < limit; iterator.next()) {
                    byte[] key = iterator.key();
                    if (ByteBuffer.wrap(key).getLong() > untilMs) {
                        break;
                    }
                    byte[] value = db.get(family(Family.PAYMENTS), Arrays.copyOfRange(key, Long.BYTES, key.length));
                    if (value != null) {
                        pending.add(ViewPayment.decode(value));
                    }
                }
                iterator.status();
            }
            return pending;
        });
    }

    /**
     * Takes a payment off the chaser's list once its chase is over (answered or flagged). A later provider event
     * of a still-pending payment puts it back; its chase state says it was already chased.
     */
    public void forgetPending(ViewPayment payment) {
        byte[] key = pendingKey(payment);
        if (key != null) {
            rocks.read(db -> {
                db.delete(family(Family.PENDING), rocks.syncWrite(), key);
                return null;
            });
        }
    }

    public Optional<byte[]> chaseState(String transactionId) {
        return rocks.read(db -> Optional.ofNullable(db.get(family(Family.CHASE), utf8(transactionId))));
    }

    public void putChaseState(String transactionId, byte[] state) {
        rocks.read(db -> {
            db.put(family(Family.CHASE), rocks.syncWrite(), utf8(transactionId), state);
            return null;
        });
    }

    /** When a break with this id was first emitted, if it was. */
    public OptionalLong emittedAt(String breakId) {
        return rocks.read(db -> readLong(db.get(family(Family.EMITTED_BREAKS), utf8(breakId))));
    }

    /** Remembers breaks Kafka acknowledged, with when they were first detected. */
    public void markEmitted(Map<String, Long> detectedAtByBreakId) {
        rocks.write(true, write -> {
            for (Map.Entry<String, Long> emitted : detectedAtByBreakId.entrySet()) {
                write.put(family(Family.EMITTED_BREAKS), utf8(emitted.getKey()), longBytes(emitted.getValue()));
            }
        });
    }

    /** A temporary store for one report run's rows, dropped when closed. */
    public RunStore openRunStore(String runId) {
        return rocks.read(db -> {
            ColumnFamilyHandle handle = db.createColumnFamily(
                    new ColumnFamilyDescriptor(utf8(RUN_FAMILY_PREFIX + runId + ":" + System.nanoTime()),
                            rocks.familyOptions()));
            return new RunStore(this, handle);
        });
    }

    void writeRun(ColumnFamilyHandle handle, WriteBatch batch, WriteOptions unlogged) {
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

    private ColumnFamilyHandle family(Family family) {
        return families.get(family);
    }

    static byte[] indexKey(ViewPayment payment) {
        if (payment == null || !payment.inLedger()) {
            return null;
        }
        LocalDate day = payment.settlementDay();
        if (day == null) {
            return null;
        }
        return concat(dayPrefix(payment.provider(), day), utf8(payment.matchReference()));
    }

    static byte[] dayPrefix(String provider, LocalDate day) {
        return concat(utf8(provider), new byte[] {SEPARATOR}, utf8(day.toString()), new byte[] {SEPARATOR});
    }

    private static byte[] referenceKey(String provider, String reference) {
        return concat(utf8(provider), new byte[] {SEPARATOR}, utf8(reference));
    }

    static byte[] pendingKey(ViewPayment payment) {
        if (payment == null || !payment.awaitingProvider()) {
            return null;
        }
        return concat(longBytes(payment.decidedAtMs()), utf8(payment.transactionId()));
    }
}
