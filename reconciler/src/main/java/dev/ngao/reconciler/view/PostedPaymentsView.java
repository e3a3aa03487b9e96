package dev.ngao.reconciler.view;

import org.apache.kafka.common.TopicPartition;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.ngao.platform.rocksdb.RocksCodec.startsWith;

/**
 * The reconciler's view of the payments it reconciles (named apart from the ledger service's own {@code LedgerView}),
 * in RocksDB: every payment's decision, ledger posting and provider
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
 *
 * <p>This class is the view's one entry: {@link ViewStorage} holds the database and its writes, {@link ViewQueries}
 * its reads, {@link ViewFamily} and {@link ViewKeys} the layout on disk (unchanged, so existing data directories
 * open as before).
 */
public final class PostedPaymentsView implements AutoCloseable {

    /** A payment of one provider's settlement day, in reference order. */
    public record IndexedPayment(byte[] reference, ViewPayment payment) {
    }

    /** The chase state the chaser keeps of one payment ({@link #putChaseState}). */
    public record ChaseEntry(String transactionId, byte[] state) {
    }

    private final ViewStorage storage;
    private final ViewQueries queries;

    private PostedPaymentsView(ViewStorage storage) {
        this.storage = storage;
        this.queries = new ViewQueries(storage);
    }

    /**
     * Opens, creating if needed, the view in {@code directory}. Column families of report runs left by a
     * crash are dropped: a run starts from its report again.
     */
    public static PostedPaymentsView open(Path directory) {
        return new PostedPaymentsView(ViewStorage.open(directory));
    }

    /** A new batch of view changes; commit it with {@link #commit}. */
    public ViewBatch newBatch() {
        return new ViewBatch(this::payment);
    }

    /** Writes a batch's payments, index changes and offsets atomically and durably. */
    public void commit(ViewBatch batch) {
        storage.commit(batch);
    }

    /** The stored next offset of a partition, if the view has read it. */
    public OptionalLong nextOffset(TopicPartition partition) {
        return queries.nextOffset(partition);
    }

    public Optional<ViewPayment> payment(String transactionId) {
        return queries.payment(transactionId);
    }

    /**
     * The payments of {@code provider}'s settlement {@code day} in reference byte order, read from one snapshot,
     * so a run sees the view as of one moment however long it takes. Close the cursor.
     */
    public DayCursor openDay(String provider, LocalDate day) {
        return queries.openDay(provider, day);
    }

    /** The payment a provider's reference belongs to, whatever its settlement day. */
    public Optional<ViewPayment> paymentByReference(String provider, String reference) {
        return queries.paymentByReference(provider, reference);
    }

    /** Approved payments the provider has not settled, oldest first, pending since no later than {@code untilMs}. */
    public List<ViewPayment> pendingSince(long untilMs, int limit) {
        return queries.pendingSince(untilMs, limit);
    }

    /**
     * Takes a payment off the chaser's list once its chase is over (answered or flagged). A later provider event
     * of a still-pending payment puts it back; its chase state says it was already chased.
     */
    public void forgetPending(ViewPayment payment) {
        byte[] key = ViewKeys.pendingKey(payment);
        if (key != null) {
            storage.deletePending(key);
        }
    }

    public Optional<byte[]> chaseState(String transactionId) {
        return queries.chaseState(transactionId);
    }

    public void putChaseState(String transactionId, byte[] state) {
        storage.putChaseState(transactionId, state);
    }

    /**
     * At most {@code limit} chase states in transaction id order, from the first after {@code afterTransactionId}
     * (from the very first when null), so the chaser can go over all of them a bounded slice at a time.
     */
    public List<ChaseEntry> chaseStatesAfter(String afterTransactionId, int limit) {
        return queries.chaseStatesAfter(afterTransactionId, limit);
    }

    /**
     * Ends the chase of a payment: its chase state and, when {@code breakId} is not null, the mark of that break
     * as emitted go in one synced write (a break cleared is no longer remembered, so one raised again would be
     * emitted).
     */
    public void endChase(String transactionId, String breakId) {
        storage.endChase(transactionId, breakId);
    }

    /** When a break with this id was first emitted, if it was. */
    public OptionalLong emittedAt(String breakId) {
        return queries.emittedAt(breakId);
    }

    /** Remembers breaks Kafka acknowledged, with when they were first detected. */
    public void markEmitted(Map<String, Long> detectedAtByBreakId) {
        storage.markEmitted(detectedAtByBreakId);
    }

    /** A temporary store for one report run's rows, dropped when closed. */
    public RunStore openRunStore(String runId) {
        return new RunStore(storage, storage.createRunFamily(runId));
    }

    @Override
    public void close() {
        storage.close();
    }

    /** An iterator over one settlement day's index; holds a snapshot until closed. */
    public static final class DayCursor implements Iterator<IndexedPayment>, AutoCloseable {

        private final RocksDB db;
        private final byte[] prefix;
        private final Snapshot snapshot;
        private final ReadOptions read;
        private final RocksIterator index;

        DayCursor(RocksDB db, ColumnFamilyHandle dayIndex, byte[] prefix) {
            this.db = db;
            this.prefix = prefix;
            this.snapshot = db.getSnapshot();
            this.read = new ReadOptions().setSnapshot(snapshot);
            this.index = db.newIterator(dayIndex, read);
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
}
