package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;
import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static dev.ngao.ledger.LedgerCodec.encodeAudit;
import static dev.ngao.ledger.LedgerCodec.encodeBalance;
import static dev.ngao.ledger.LedgerCodec.encodeEntry;
import static dev.ngao.ledger.LedgerCodec.decodeBalance;
import static dev.ngao.ledger.LedgerCodec.indexKey;
import static dev.ngao.ledger.LedgerCodec.timeKey;
import static dev.ngao.ledger.LedgerCodec.undecidedKey;
import static dev.ngao.platform.rocksdb.RocksCodec.longBytes;
import static dev.ngao.platform.rocksdb.RocksCodec.offsetKey;
import static dev.ngao.platform.rocksdb.RocksCodec.string;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;

/**
 * The ledger's system of record, in RocksDB: journal entries, account balances, indexes, payment
 * lifecycles, refusals, the offsets of the consumed topics and the end of the hash chain.
 * {@link #commit} writes a whole batch (entries, balances, indexes, lifecycles, refusals, offsets,
 * chain head) in one {@link WriteBatch} with {@code sync=true}: after a crash the ledger holds all of
 * a batch or none of it, and the offsets stored with it say exactly which events it covers.
 *
 * <p>Column families: {@link LedgerFamily}; encodings: {@link LedgerCodec}; queries: {@link LedgerReads}; checks
 * of the whole chain and of the totals: {@link LedgerAudits}. Here: the database's life, the commit with its
 * invariants, and the outbox cursors (what reached Kafka).
 *
 * <p>Thread safety: one thread commits (the ledger poller); any thread may read. RocksDB supports
 * that; {@link RocksStore} keeps {@link #close()} from freeing the native database under a reader.
 */
public final class LedgerStore extends LedgerReads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerStore.class);
    private static final byte[] LAST_SEQUENCE = utf8("last-sequence");
    private static final byte[] LAST_HASH = utf8("last-hash");
    private static final byte[] PUBLISHED_SEQUENCE = utf8("published-sequence");
    private static final byte[] LAST_REFUSAL = utf8("last-refusal");
    private static final byte[] PUBLISHED_REFUSAL = utf8("published-refusal");
    /** Shared by every column family of the ledger. */
    private static final long BLOCK_CACHE_BYTES = 64L * 1024 * 1024;
    /**
     * Memtables of every column family together, charged to the block cache: the ledger's RocksDB holds about
     * {@link #BLOCK_CACHE_BYTES} in all. Left to RocksDB's defaults each of the thirteen families may keep two
     * 64 MiB memtables, and the process's resident set grows with every write until they flush.
     */
    private static final long WRITE_BUFFERS_BYTES = 16L * 1024 * 1024;
    private static final long FAMILY_WRITE_BUFFER_BYTES = 4L * 1024 * 1024;

    /** Native objects shared by every ledger store of the process, never freed (one per process). */
    private static final LRUCache BLOCK_CACHE;
    private static final WriteBufferManager WRITE_BUFFER_MANAGER;

    static {
        RocksDB.loadLibrary();
        BLOCK_CACHE = new LRUCache(BLOCK_CACHE_BYTES);
        WRITE_BUFFER_MANAGER = new WriteBufferManager(WRITE_BUFFERS_BYTES, BLOCK_CACHE);
    }

    private final RocksStore rocks;
    private final Map<LedgerFamily, ColumnFamilyHandle> families = new EnumMap<>(LedgerFamily.class);
    private volatile ChainHead head;
    private volatile long publishedSequence;
    private volatile long lastRefusal;
    private volatile long publishedRefusal;

    private LedgerStore(RocksStore rocks) {
        this.rocks = rocks;
        for (LedgerFamily family : LedgerFamily.values()) {
            families.put(family, rocks.family(family.familyName()));
        }
        this.head = readHead();
        this.publishedSequence = readLong(LedgerFamily.METADATA, PUBLISHED_SEQUENCE).orElse(0);
        this.lastRefusal = readLong(LedgerFamily.METADATA, LAST_REFUSAL).orElse(0);
        this.publishedRefusal = readLong(LedgerFamily.METADATA, PUBLISHED_REFUSAL).orElse(0);
    }

    /** Opens, creating if needed, the ledger in {@code directory}. */
    public static LedgerStore open(Path directory) {
        return open(directory, false);
    }

    /**
     * Opens the ledger in {@code directory} for reading only, as the verify command does; a running
     * ledger-service may keep writing meanwhile (the reader sees the state at opening).
     */
    public static LedgerStore openReadOnly(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new LedgerStoreException("No ledger at " + directory);
        }
        return open(directory, true);
    }

    private static LedgerStore open(Path directory, boolean readOnly) {
        // Bloom filters: every posting asks whether its entry id already exists, and the answer is almost
        // always no; without a filter each such miss reads a block of every level.
        RocksStore.Builder builder = RocksStore.at(directory, "ledger")
                .families(LedgerFamily.names())
                .bloomFilter()
                .blockCache(BLOCK_CACHE)
                .tuneDatabase(options -> options.setWriteBufferManager(WRITE_BUFFER_MANAGER))
                .tuneFamilies(family -> family.setWriteBufferSize(FAMILY_WRITE_BUFFER_BYTES))
                .failure(LedgerStoreException::new);
        if (readOnly) {
            builder.readOnly();
        }
        RocksStore rocks = builder.open();
        try {
            LedgerStore store = new LedgerStore(rocks);
            LOG.info("Ledger opened at {}: {} entries, {} published", directory, store.head.sequence(),
                    store.publishedSequence);
            return store;
        } catch (RuntimeException e) {
            rocks.close();
            throw e;
        }
    }

    /** Starts a batch continuing the chain from the ledger's current head. */
    public LedgerBatch newBatch() {
        return new LedgerBatch(head, this);
    }

    /**
     * Writes {@code batch} atomically and durably (fsync) after checking every invariant: each entry
     * balanced, new, and linked to the one before it. On any failure nothing is written.
     *
     * @return the entries written, in sequence order
     * @throws InvariantViolation if the batch would break the ledger
     * @throws LedgerStoreException if the database failed
     */
    public List<JournalEntry> commit(LedgerBatch batch) {
        return read(db -> {
            Invariants.check(batch.base().equals(head), "batch continues sequence " + batch.base().sequence()
                    + " but the ledger is at " + head.sequence());
            try (WriteBatch write = new WriteBatch()) {
                ChainHead end = addEntries(db, write, batch.entries());
                addOffsets(write, batch.nextOffsets());
                for (Map.Entry<String, Traceparent> trace : batch.traces().entrySet()) {
                    write.put(family(LedgerFamily.ENTRY_TRACES), utf8(trace.getKey()), utf8(trace.getValue().toString()));
                }
                for (Lifecycle lifecycle : batch.lifecycles().values()) {
                    write.put(family(LedgerFamily.LIFECYCLES), utf8(lifecycle.transactionId()), lifecycle.encode());
                }
                addUndecidedIndex(write, batch);
                long refusal = lastRefusal;
                for (AuditRecord record : batch.refusals()) {
                    refusal++;
                    write.put(family(LedgerFamily.REFUSALS), longBytes(refusal), encodeAudit(record));
                }
                if (refusal > lastRefusal) {
                    write.put(family(LedgerFamily.METADATA), LAST_REFUSAL, longBytes(refusal));
                }
                if (end.sequence() > head.sequence()) {
                    write.put(family(LedgerFamily.METADATA), LAST_SEQUENCE, longBytes(end.sequence()));
                    write.put(family(LedgerFamily.METADATA), LAST_HASH, utf8(end.hash()));
                }
                db.write(rocks.syncWrite(), write);
                head = end;
                lastRefusal = refusal;
            }
            return batch.entries();
        });
    }

    private void addUndecidedIndex(WriteBatch write, LedgerBatch batch) throws RocksDBException {
        for (Map.Entry<String, Instant> mark : batch.undecidedSince().entrySet()) {
            write.put(family(LedgerFamily.UNDECIDED_SINCE), undecidedKey(new UndecidedSince(mark.getValue(), mark.getKey())),
                    new byte[0]);
        }
        for (UndecidedSince mark : batch.expired()) {
            write.delete(family(LedgerFamily.UNDECIDED_SINCE), undecidedKey(mark));
        }
        for (String transactionId : batch.droppedLifecycles()) {
            write.delete(family(LedgerFamily.LIFECYCLES), utf8(transactionId));
        }
        if (batch.backfill().isPresent()) {
            write.put(family(LedgerFamily.METADATA), UNDECIDED_BACKFILL, LedgerCodec.encodeBackfill(batch.backfill().get()));
        }
    }

    public ChainHead head() {
        return head;
    }

    /** Sequence of the last entry known to be on {@code ledger.entries}; entries after it are pending. */
    public long publishedSequence() {
        return publishedSequence;
    }

    /** Remembers that entries up to {@code sequence} reached Kafka. A hint: losing it republishes, never loses. */
    public void markPublished(long sequence) {
        read(db -> {
            Invariants.check(sequence <= head.sequence(), "published sequence " + sequence + " is past the ledger");
            if (sequence > publishedSequence) {
                db.put(family(LedgerFamily.METADATA), rocks.plainWrite(), PUBLISHED_SEQUENCE, longBytes(sequence));
                publishedSequence = sequence;
            }
            return null;
        });
    }

    /** Number of the last refusal recorded, 0 if none. */
    public long lastRefusal() {
        return lastRefusal;
    }

    /** Number of the last refusal known to be on audit.ledger. */
    public long publishedRefusal() {
        return publishedRefusal;
    }

    /** Remembers that refusals up to {@code number} reached Kafka; as {@link #markPublished}, a hint. */
    public void markRefusalsPublished(long number) {
        read(db -> {
            Invariants.check(number <= lastRefusal, "published refusal " + number + " is past the ledger");
            if (number > publishedRefusal) {
                db.put(family(LedgerFamily.METADATA), rocks.plainWrite(), PUBLISHED_REFUSAL, longBytes(number));
                publishedRefusal = number;
            }
            return null;
        });
    }

    /**
     * Walks the whole chain from entry 1 and returns the first break: a missing sequence, an entry whose
     * previous hash is not the hash of the entry before it, or whose hash does not match its content.
     */
    public ChainVerification verifyChain() {
        return new LedgerAudits(this).verifyChain(head);
    }

    /**
     * Recomputes every account's totals from the entries and compares them with the stored balances;
     * returns the first account whose stored totals differ (in name order), if any.
     */
    public Optional<String> verifyBalances() {
        return new LedgerAudits(this).verifyBalances();
    }

    /** Overwrites an account's stored totals without any check; only for tests of {@link #verifyBalances()}. */
    void overwriteBalanceUnchecked(AccountBalance balance) {
        read(db -> {
            db.put(family(LedgerFamily.BALANCES), rocks.syncWrite(), utf8(balance.account()), encodeBalance(balance));
            return null;
        });
    }

    /**
     * Overwrites a stored entry without any check. Only for tests that prove {@link #verifyChain()} finds
     * tampering done behind the ledger's back (directly on the database files).
     */
    void overwriteEntryUnchecked(JournalEntry entry) {
        read(db -> {
            db.put(family(LedgerFamily.ENTRIES), rocks.syncWrite(), utf8(entry.getEntryId()), encodeEntry(entry));
            return null;
        });
    }

    @Override
    public void close() {
        rocks.close();
    }

    private ChainHead addEntries(RocksDB db, WriteBatch write, List<JournalEntry> entries) throws RocksDBException {
        ChainHead previous = head;
        Set<String> idsInBatch = new HashSet<>();
        Map<String, AccountBalance> balances = new HashMap<>();
        for (JournalEntry entry : entries) {
            String entryId = entry.getEntryId();
            Invariants.check(idsInBatch.add(entryId) && !entryExists(db, entryId),
                    "entry " + entryId + " would be posted twice");
            EntryInvariants.requireBalanced(entry);
            EntryInvariants.requireLinked(entry, previous);
            byte[] id = utf8(entryId);
            byte[] sequence = longBytes(entry.getSequence());
            write.put(family(LedgerFamily.ENTRIES), id, encodeEntry(entry));
            write.put(family(LedgerFamily.ENTRY_SEQUENCE), sequence, id);
            write.put(family(LedgerFamily.TRANSACTION_ENTRIES), indexKey(entry.getTransactionId(), sequence), id);
            write.put(family(LedgerFamily.TIME_ENTRIES), timeKey(entry, sequence), id);
            for (Posting posting : entry.getPostings()) {
                write.put(family(LedgerFamily.ACCOUNT_ENTRIES), indexKey(posting.getAccount(), sequence), id);
                balances.put(posting.getAccount(), applyPosting(db, balances, posting, entryId));
            }
            previous = new ChainHead(entry.getSequence(), entry.getHash());
        }
        for (AccountBalance balance : balances.values()) {
            write.put(family(LedgerFamily.BALANCES), utf8(balance.account()), encodeBalance(balance));
        }
        return previous;
    }

    private AccountBalance applyPosting(RocksDB db, Map<String, AccountBalance> balances, Posting posting, String entryId)
            throws RocksDBException {
        AccountBalance before = balances.get(posting.getAccount());
        if (before == null) {
            AccountName account = AccountName.parse(posting.getAccount());
            byte[] stored = db.get(family(LedgerFamily.BALANCES), utf8(account.toString()));
            before = stored == null ? AccountBalance.empty(account) : decodeBalance(account.toString(), stored);
        }
        try {
            return before.plus(posting.getSide(), posting.getAmount().getAmountMinor());
        } catch (ArithmeticException e) {
            throw new InvariantViolation("entry " + entryId + " overflows the totals of an account");
        }
    }

    private void addOffsets(WriteBatch write, Map<TopicPartition, Long> nextOffsets) throws RocksDBException {
        for (Map.Entry<TopicPartition, Long> offset : nextOffsets.entrySet()) {
            write.put(family(LedgerFamily.OFFSETS), offsetKey(offset.getKey()), longBytes(offset.getValue()));
        }
    }

    private ChainHead readHead() {
        OptionalLong sequence = readLong(LedgerFamily.METADATA, LAST_SEQUENCE);
        byte[] hash = read(db -> db.get(family(LedgerFamily.METADATA), LAST_HASH));
        if (sequence.isEmpty() != (hash == null)) {
            throw new LedgerStoreException("ledger metadata is inconsistent: sequence and hash must be stored together");
        }
        return sequence.isEmpty() ? ChainHead.GENESIS : new ChainHead(sequence.getAsLong(), string(hash));
    }

    private OptionalLong readLong(LedgerFamily family, byte[] key) {
        return read(db -> RocksCodec.readLong(db.get(family(family), key)));
    }

    @Override
    <T> T read(RocksStore.Action<T> action) {
        return rocks.read(action);
    }

    @Override
    ColumnFamilyHandle family(LedgerFamily family) {
        return families.get(family);
    }

}
