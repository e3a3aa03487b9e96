package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;
import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.platform.invariant.Invariants;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import dev.ngao.platform.observability.Traceparent;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The ledger's system of record, in RocksDB: journal entries, account balances, indexes, payment
 * lifecycles, refusals, the offsets of the consumed topics and the end of the hash chain.
 * {@link #commit} writes a whole batch (entries, balances, indexes, lifecycles, refusals, offsets,
 * chain head) in one {@link WriteBatch} with {@code sync=true}: after a crash the ledger holds all of
 * a batch or none of it, and the offsets stored with it say exactly which events it covers.
 *
 * <p>Column families (keys and values in README.md, "Storage layout"): entries, entry-sequence,
 * transaction-entries, account-entries, balances, offsets, metadata, lifecycles, undecided-since, refusals,
 * time-entries.
 *
 * <p>Thread safety: one thread commits (the ledger poller); any thread may read. RocksDB supports
 * that; the read-write lock only keeps {@link #close()} from freeing the native database under a
 * reader.
 */
public final class LedgerStore implements AutoCloseable, LedgerView {

    /** Entries one transaction may have in a query answer; a payment has a handful over its life. */
    public static final int MAX_ENTRIES_PER_TRANSACTION = 100;

    private static final Logger LOG = LoggerFactory.getLogger(LedgerStore.class);
    private static final byte[] LAST_SEQUENCE = utf8("last-sequence");
    private static final byte[] LAST_HASH = utf8("last-hash");
    private static final byte[] PUBLISHED_SEQUENCE = utf8("published-sequence");
    private static final byte[] LAST_REFUSAL = utf8("last-refusal");
    private static final byte[] PUBLISHED_REFUSAL = utf8("published-refusal");
    private static final byte SEPARATOR = 0;
    private static final int BLOOM_BITS_PER_KEY = 10;
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
    private static final BloomFilter BLOOM_FILTER;
    private static final LRUCache BLOCK_CACHE;
    private static final WriteBufferManager WRITE_BUFFER_MANAGER;

    static {
        RocksDB.loadLibrary();
        BLOOM_FILTER = new BloomFilter(BLOOM_BITS_PER_KEY, false);
        BLOCK_CACHE = new LRUCache(BLOCK_CACHE_BYTES);
        WRITE_BUFFER_MANAGER = new WriteBufferManager(WRITE_BUFFERS_BYTES, BLOCK_CACHE);
    }

    private enum Family {
        /** entryId -> JournalEntry, Avro single-object encoding (carries the schema fingerprint). */
        ENTRIES("entries"),
        /** sequence (8 bytes big-endian) -> entryId: the chain in order, for publishing and verifying. */
        ENTRY_SEQUENCE("entry-sequence"),
        /** transactionId, 0x00, sequence -> entryId. */
        TRANSACTION_ENTRIES("transaction-entries"),
        /** account, 0x00, sequence -> entryId: an account's history in order. */
        ACCOUNT_ENTRIES("account-entries"),
        /** account -> debitsMinor (8), creditsMinor (8), currency (UTF-8). */
        BALANCES("balances"),
        /** topic, 0x00, partition (4) -> next offset to consume (8). */
        OFFSETS("offsets"),
        /** last-sequence, last-hash, published-sequence, last-refusal, published-refusal. */
        METADATA("metadata"),
        /** transactionId -> Lifecycle (JSON): stage, decision facts, statuses waiting for the decision. */
        LIFECYCLES("lifecycles"),
        /**
         * since epoch ms (8), transactionId -> nothing: payments whose provider statuses waited for a decision,
         * by when the first one came, so the sweep reads the oldest first and only those.
         */
        UNDECIDED_SINCE("undecided-since"),
        /** refusal number (8) -> AuditRecord, Avro single-object encoding: refused spending entries. */
        REFUSALS("refusals"),
        /** postedAt epoch ms (8), sequence (8) -> entryId: entries by UTC time, for day exports. */
        TIME_ENTRIES("time-entries"),
        /**
         * entryId -> W3C traceparent (UTF-8) of the ledger's posting within the trace of the event that caused
         * the entry; kept beside the entry (not in it: the hash chain covers money, not observability) so that
         * a republished entry carries the same header.
         */
        ENTRY_TRACES("entry-traces");

        private final String familyName;

        Family(String familyName) {
            this.familyName = familyName;
        }
    }

    @FunctionalInterface
    private interface StoreAction<T> {
        T run() throws RocksDBException;
    }

    private final DBOptions options;
    private final ColumnFamilyOptions familyOptions;
    private final WriteOptions syncWrite;
    private final WriteOptions plainWrite;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Family, ColumnFamilyHandle> families;
    private final RocksDB db;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;
    private volatile ChainHead head;
    private volatile long publishedSequence;
    private volatile long lastRefusal;
    private volatile long publishedRefusal;

    private LedgerStore(DBOptions options, ColumnFamilyOptions familyOptions, List<ColumnFamilyHandle> handles,
                        RocksDB db) throws RocksDBException {
        this.options = options;
        this.familyOptions = familyOptions;
        this.handles = handles;
        this.db = db;
        this.syncWrite = new WriteOptions().setSync(true);
        this.plainWrite = new WriteOptions();
        this.families = new EnumMap<>(Family.class);
        for (Family family : Family.values()) {
            // handles.get(0) is RocksDB's default family, which the ledger does not use.
            families.put(family, handles.get(family.ordinal() + 1));
        }
        this.head = readHead();
        this.publishedSequence = readLong(Family.METADATA, PUBLISHED_SEQUENCE).orElse(0);
        this.lastRefusal = readLong(Family.METADATA, LAST_REFUSAL).orElse(0);
        this.publishedRefusal = readLong(Family.METADATA, PUBLISHED_REFUSAL).orElse(0);
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
        DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setWriteBufferManager(WRITE_BUFFER_MANAGER);
        // Bloom filters: every posting asks whether its entry id already exists, and the answer is almost
        // always no; without a filter each such miss reads a block of every level.
        ColumnFamilyOptions familyOptions = new ColumnFamilyOptions().setTableFormatConfig(new BlockBasedTableConfig()
                .setFilterPolicy(BLOOM_FILTER)
                .setBlockCache(BLOCK_CACHE))
                .setWriteBufferSize(FAMILY_WRITE_BUFFER_BYTES);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
        for (Family family : Family.values()) {
            descriptors.add(new ColumnFamilyDescriptor(utf8(family.familyName), familyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            if (readOnly) {
                db = RocksDB.openReadOnly(options, directory.toString(), descriptors, handles);
            } else {
                Files.createDirectories(directory);
                db = RocksDB.open(options, directory.toString(), descriptors, handles);
            }
            LedgerStore store = new LedgerStore(options, familyOptions, handles, db);
            LOG.info("Ledger opened at {}: {} entries, {} published", directory, store.head.sequence(),
                    store.publishedSequence);
            return store;
        } catch (RocksDBException | IOException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            familyOptions.close();
            options.close();
            throw new LedgerStoreException("Cannot open the ledger at " + directory, e);
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
        return withOpenStore(() -> {
            Invariants.check(batch.base().equals(head), "batch continues sequence " + batch.base().sequence()
                    + " but the ledger is at " + head.sequence());
            try (WriteBatch write = new WriteBatch()) {
                ChainHead end = addEntries(write, batch.entries());
                addOffsets(write, batch.nextOffsets());
                for (Map.Entry<String, Traceparent> trace : batch.traces().entrySet()) {
                    write.put(family(Family.ENTRY_TRACES), utf8(trace.getKey()), utf8(trace.getValue().toString()));
                }
                for (Lifecycle lifecycle : batch.lifecycles().values()) {
                    write.put(family(Family.LIFECYCLES), utf8(lifecycle.transactionId()), lifecycle.encode());
                }
                addUndecidedIndex(write, batch);
                long refusal = lastRefusal;
                for (AuditRecord record : batch.refusals()) {
                    refusal++;
                    write.put(family(Family.REFUSALS), longBytes(refusal), encodeAudit(record));
                }
                if (refusal > lastRefusal) {
                    write.put(family(Family.METADATA), LAST_REFUSAL, longBytes(refusal));
                }
                if (end.sequence() > head.sequence()) {
                    write.put(family(Family.METADATA), LAST_SEQUENCE, longBytes(end.sequence()));
                    write.put(family(Family.METADATA), LAST_HASH, utf8(end.hash()));
                }
                db.write(syncWrite, write);
                head = end;
                lastRefusal = refusal;
            }
            return batch.entries();
        });
    }

    private void addUndecidedIndex(WriteBatch write, LedgerBatch batch) throws RocksDBException {
        for (Map.Entry<String, Instant> mark : batch.undecidedSince().entrySet()) {
            write.put(family(Family.UNDECIDED_SINCE), undecidedKey(new UndecidedSince(mark.getValue(), mark.getKey())),
                    new byte[0]);
        }
        for (UndecidedSince mark : batch.expired()) {
            write.delete(family(Family.UNDECIDED_SINCE), undecidedKey(mark));
        }
        for (String transactionId : batch.droppedLifecycles()) {
            write.delete(family(Family.LIFECYCLES), utf8(transactionId));
        }
    }

    /**
     * The oldest marks of the undecided index taken before {@code cutoff}, oldest first, at most {@code limit}:
     * reads only those keys (and the tombstones of marks removed before them), never the lifecycles.
     */
    public List<UndecidedSince> undecidedBefore(Instant cutoff, int limit) {
        return withOpenStore(() -> {
            List<UndecidedSince> marks = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(Family.UNDECIDED_SINCE))) {
                for (iterator.seekToFirst(); iterator.isValid() && marks.size() < limit; iterator.next()) {
                    ByteBuffer key = ByteBuffer.wrap(iterator.key());
                    Instant since = Instant.ofEpochMilli(key.getLong());
                    if (!since.isBefore(cutoff)) {
                        break;
                    }
                    marks.add(new UndecidedSince(since, string(Arrays.copyOfRange(iterator.key(), Long.BYTES,
                            iterator.key().length))));
                }
                iterator.status();
            }
            return marks;
        });
    }

    private static byte[] undecidedKey(UndecidedSince mark) {
        byte[] transactionId = utf8(mark.transactionId());
        return ByteBuffer.allocate(Long.BYTES + transactionId.length).putLong(mark.since().toEpochMilli())
                .put(transactionId).array();
    }

    public ChainHead head() {
        return head;
    }

    /** The trace an entry was posted in, when the event that caused it carried one. */
    public Optional<Traceparent> traceOf(String entryId) {
        return withOpenStore(() -> {
            byte[] text = db.get(family(Family.ENTRY_TRACES), utf8(entryId));
            return text == null ? Optional.<Traceparent>empty()
                    : Traceparent.parse(new String(text, StandardCharsets.UTF_8));
        });
    }

    /** Sequence of the last entry known to be on {@code ledger.entries}; entries after it are pending. */
    public long publishedSequence() {
        return publishedSequence;
    }

    /** Remembers that entries up to {@code sequence} reached Kafka. A hint: losing it republishes, never loses. */
    public void markPublished(long sequence) {
        withOpenStore(() -> {
            Invariants.check(sequence <= head.sequence(), "published sequence " + sequence + " is past the ledger");
            if (sequence > publishedSequence) {
                db.put(family(Family.METADATA), plainWrite, PUBLISHED_SEQUENCE, longBytes(sequence));
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
        withOpenStore(() -> {
            Invariants.check(number <= lastRefusal, "published refusal " + number + " is past the ledger");
            if (number > publishedRefusal) {
                db.put(family(Family.METADATA), plainWrite, PUBLISHED_REFUSAL, longBytes(number));
                publishedRefusal = number;
            }
            return null;
        });
    }

    /** Refusals numbered above {@code number}, in order, at most {@code limit}, each with its number. */
    public List<Numbered<AuditRecord>> refusalsAfter(long number, int limit) {
        return withOpenStore(() -> {
            List<Numbered<AuditRecord>> refusals = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(Family.REFUSALS))) {
                for (iterator.seek(longBytes(number + 1)); iterator.isValid() && refusals.size() < limit;
                     iterator.next()) {
                    refusals.add(new Numbered<>(ByteBuffer.wrap(iterator.key()).getLong(),
                            decodeAudit(iterator.value())));
                }
                iterator.status();
            }
            return refusals;
        });
    }

    /** Every account's totals in name order, at most {@code limit}: for checks and tests, not for queries. */
    List<AccountBalance> balances(int limit) {
        return withOpenStore(() -> {
            List<AccountBalance> balances = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(Family.BALANCES))) {
                for (iterator.seekToFirst(); iterator.isValid() && balances.size() < limit; iterator.next()) {
                    balances.add(decodeBalance(string(iterator.key()), iterator.value()));
                }
                iterator.status();
            }
            return balances;
        });
    }

    /** Every account of {@code type:owner:...}, in name order (all currencies), at most {@code limit}. */
    public List<AccountBalance> balancesOfOwner(AccountType type, String owner, int limit) {
        return withOpenStore(() -> {
            byte[] prefix = utf8(type.segment() + ":" + owner + ":");
            List<AccountBalance> balances = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(Family.BALANCES))) {
                for (iterator.seek(prefix); iterator.isValid() && startsWith(iterator.key(), prefix)
                        && balances.size() < limit; iterator.next()) {
                    balances.add(decodeBalance(string(iterator.key()), iterator.value()));
                }
                iterator.status();
            }
            return balances;
        });
    }

    @Override
    public Optional<Lifecycle> lifecycle(String transactionId) {
        return withOpenStore(() -> Optional.ofNullable(db.get(family(Family.LIFECYCLES), utf8(transactionId)))
                .map(Lifecycle::decode));
    }

    /**
     * The entries of {@code transactionId} posted in [{@code from}, {@code to}), in sequence order, after
     * sequence {@code afterSequence}, at most {@code limit}.
     */
    public EntryPage entriesOfTransaction(String transactionId, TimeRange range, long afterSequence, int limit) {
        return withOpenStore(() -> page(Family.TRANSACTION_ENTRIES, prefixKey(transactionId), range, afterSequence,
                limit, entry -> entry.getTransactionId().equals(transactionId)));
    }

    /** The entries that touched {@code account} posted in {@code range}, after {@code afterSequence}, paged. */
    public EntryPage entriesOfAccount(AccountName account, TimeRange range, long afterSequence, int limit) {
        return withOpenStore(() -> page(Family.ACCOUNT_ENTRIES, prefixKey(account.toString()), range, afterSequence,
                limit, entry -> true));
    }

    /**
     * Entries posted in {@code range}, by posting time then sequence, handed to {@code consumer} one at a
     * time (a day's export need not fit in memory).
     */
    public void forEachEntryPosted(TimeRange range, java.util.function.Consumer<JournalEntry> consumer) {
        withOpenStore(() -> {
            try (RocksIterator iterator = db.newIterator(family(Family.TIME_ENTRIES))) {
                byte[] end = longBytes(range.to().toEpochMilli());
                for (iterator.seek(longBytes(range.from().toEpochMilli())); iterator.isValid()
                        && Arrays.compareUnsigned(iterator.key(), 0, Long.BYTES, end, 0, Long.BYTES) < 0; iterator.next()) {
                    consumer.accept(decodeEntry(db.get(family(Family.ENTRIES), iterator.value())));
                }
                iterator.status();
            }
            return null;
        });
    }

    /**
     * Walks the whole chain from entry 1 and returns the first break: a missing sequence, an entry whose
     * previous hash is not the hash of the entry before it, or whose hash does not match its content.
     */
    public ChainVerification verifyChain() {
        return withOpenStore(() -> {
            ChainHead previous = ChainHead.GENESIS;
            try (RocksIterator iterator = db.newIterator(family(Family.ENTRY_SEQUENCE))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    long sequence = ByteBuffer.wrap(iterator.key()).getLong();
                    byte[] stored = db.get(family(Family.ENTRIES), iterator.value());
                    Optional<String> problem = stored == null ? Optional.of("entry " + string(iterator.value())
                            + " is indexed but not stored") : ChainVerification.problem(decodeEntry(stored), previous,
                            sequence);
                    if (problem.isPresent()) {
                        return ChainVerification.broken(previous.sequence(), sequence, problem.get());
                    }
                    JournalEntry entry = decodeEntry(stored);
                    previous = new ChainHead(entry.getSequence(), entry.getHash());
                }
                iterator.status();
            }
            if (previous.sequence() != head.sequence()) {
                return ChainVerification.broken(previous.sequence(), previous.sequence() + 1,
                        "the chain ends at " + previous.sequence() + " but the ledger's head is " + head.sequence());
            }
            // The last entry has no successor naming its hash: the head kept with the batch is what does.
            if (!Objects.equals(previous.hash(), head.hash())) {
                return ChainVerification.broken(previous.sequence() - 1, previous.sequence(),
                        "entry " + previous.sequence() + " does not match the ledger's head hash");
            }
            return ChainVerification.intact(previous.sequence());
        });
    }

    /**
     * Recomputes every account's totals from the entries and compares them with the stored balances;
     * returns the first account whose stored totals differ (in name order), if any.
     */
    public Optional<String> verifyBalances() {
        return withOpenStore(() -> {
            Map<String, AccountBalance> recomputed = new TreeMap<>();
            try (RocksIterator iterator = db.newIterator(family(Family.ENTRIES))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    for (Posting posting : decodeEntry(iterator.value()).getPostings()) {
                        AccountBalance before = recomputed.getOrDefault(posting.getAccount(),
                                AccountBalance.empty(AccountName.parse(posting.getAccount())));
                        recomputed.put(posting.getAccount(),
                                before.plus(posting.getSide(), posting.getAmount().getAmountMinor()));
                    }
                }
                iterator.status();
            }
            try (RocksIterator iterator = db.newIterator(family(Family.BALANCES))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    String account = string(iterator.key());
                    AccountBalance stored = decodeBalance(account, iterator.value());
                    if (!stored.equals(recomputed.remove(account))) {
                        return Optional.of("stored totals of " + account + " differ from its entries");
                    }
                }
                iterator.status();
            }
            return recomputed.keySet().stream().findFirst()
                    .map(account -> "entries post to " + account + " but it has no stored totals");
        });
    }

    /** Overwrites an account's stored totals without any check; only for tests of {@link #verifyBalances()}. */
    void overwriteBalanceUnchecked(AccountBalance balance) {
        withOpenStore(() -> {
            db.put(family(Family.BALANCES), syncWrite, utf8(balance.account()), encodeBalance(balance));
            return null;
        });
    }

    /**
     * Overwrites a stored entry without any check. Only for tests that prove {@link #verifyChain()} finds
     * tampering done behind the ledger's back (directly on the database files).
     */
    void overwriteEntryUnchecked(JournalEntry entry) {
        withOpenStore(() -> {
            db.put(family(Family.ENTRIES), syncWrite, utf8(entry.getEntryId()), encodeEntry(entry));
            return null;
        });
    }

    @Override
    public boolean containsEntry(String entryId) {
        return withOpenStore(() -> entryExists(entryId));
    }

    public Optional<JournalEntry> entry(String entryId) {
        return withOpenStore(() -> Optional.ofNullable(db.get(family(Family.ENTRIES), utf8(entryId)))
                .map(LedgerStore::decodeEntry));
    }

    @Override
    public Optional<AccountBalance> balance(AccountName account) {
        return withOpenStore(() -> Optional.ofNullable(db.get(family(Family.BALANCES), utf8(account.toString())))
                .map(value -> decodeBalance(account.toString(), value)));
    }

    /** The entries of one transaction in sequence order, at most {@link #MAX_ENTRIES_PER_TRANSACTION}. */
    public List<JournalEntry> entriesOfTransaction(String transactionId) {
        return withOpenStore(() -> {
            List<JournalEntry> entries = new ArrayList<>();
            for (String entryId : indexedEntryIds(Family.TRANSACTION_ENTRIES, prefixKey(transactionId),
                    MAX_ENTRIES_PER_TRANSACTION)) {
                JournalEntry entry = decodeEntry(db.get(family(Family.ENTRIES), utf8(entryId)));
                // A prefix can also match a longer id holding a 0x00; the entry itself says whose it is.
                if (entry.getTransactionId().equals(transactionId)) {
                    entries.add(entry);
                }
            }
            return entries;
        });
    }

    /** Ids of the entries that touched {@code account}, in sequence order, at most {@code limit}. */
    public List<String> entryIdsOfAccount(AccountName account, int limit) {
        return withOpenStore(() -> indexedEntryIds(Family.ACCOUNT_ENTRIES, prefixKey(account.toString()), limit));
    }

    /** Entries with a sequence above {@code sequence}, in order, at most {@code limit}. */
    public List<JournalEntry> entriesAfter(long sequence, int limit) {
        return withOpenStore(() -> {
            List<JournalEntry> entries = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(Family.ENTRY_SEQUENCE))) {
                for (iterator.seek(longBytes(sequence + 1)); iterator.isValid() && entries.size() < limit;
                     iterator.next()) {
                    entries.add(decodeEntry(db.get(family(Family.ENTRIES), iterator.value())));
                }
                iterator.status();
            }
            return entries;
        });
    }

    /**
     * Debits and credits of every account, summed per currency. The iterator reads one consistent
     * snapshot, so a batch committed meanwhile is seen whole or not at all.
     */
    public List<CurrencyTotals> trialBalance() {
        return withOpenStore(() -> {
            Map<String, CurrencyTotals> totals = new TreeMap<>();
            try (RocksIterator iterator = db.newIterator(family(Family.BALANCES))) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    AccountBalance balance = decodeBalance(string(iterator.key()), iterator.value());
                    String currency = balance.currency();
                    totals.put(currency, totals.getOrDefault(currency, new CurrencyTotals(currency, 0, 0)).plus(balance));
                }
                iterator.status();
            }
            return List.copyOf(totals.values());
        });
    }

    /** Where consumption of {@code partition} resumes, if the ledger has consumed it before. */
    public OptionalLong nextOffset(TopicPartition partition) {
        return withOpenStore(() -> readLong(Family.OFFSETS, offsetKey(partition)));
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
            LOG.warn("Closing the ledger database reported: {}", e.getMessage());
        } finally {
            syncWrite.close();
            plainWrite.close();
            familyOptions.close();
            options.close();
            lock.writeLock().unlock();
        }
    }

    private ChainHead addEntries(WriteBatch write, List<JournalEntry> entries) throws RocksDBException {
        ChainHead previous = head;
        Set<String> idsInBatch = new HashSet<>();
        Map<String, AccountBalance> balances = new HashMap<>();
        for (JournalEntry entry : entries) {
            String entryId = entry.getEntryId();
            Invariants.check(idsInBatch.add(entryId) && !entryExists(entryId),
                    "entry " + entryId + " would be posted twice");
            EntryInvariants.requireBalanced(entry);
            EntryInvariants.requireLinked(entry, previous);
            byte[] id = utf8(entryId);
            byte[] sequence = longBytes(entry.getSequence());
            write.put(family(Family.ENTRIES), id, encodeEntry(entry));
            write.put(family(Family.ENTRY_SEQUENCE), sequence, id);
            write.put(family(Family.TRANSACTION_ENTRIES), indexKey(entry.getTransactionId(), sequence), id);
            write.put(family(Family.TIME_ENTRIES), ByteBuffer.allocate(2 * Long.BYTES)
                    .putLong(entry.getPostedAt().toEpochMilli()).put(sequence).array(), id);
            for (Posting posting : entry.getPostings()) {
                write.put(family(Family.ACCOUNT_ENTRIES), indexKey(posting.getAccount(), sequence), id);
                balances.put(posting.getAccount(), applyPosting(balances, posting, entryId));
            }
            previous = new ChainHead(entry.getSequence(), entry.getHash());
        }
        for (AccountBalance balance : balances.values()) {
            write.put(family(Family.BALANCES), utf8(balance.account()), encodeBalance(balance));
        }
        return previous;
    }

    private AccountBalance applyPosting(Map<String, AccountBalance> balances, Posting posting, String entryId)
            throws RocksDBException {
        AccountBalance before = balances.get(posting.getAccount());
        if (before == null) {
            AccountName account = AccountName.parse(posting.getAccount());
            byte[] stored = db.get(family(Family.BALANCES), utf8(account.toString()));
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
            write.put(family(Family.OFFSETS), offsetKey(offset.getKey()), longBytes(offset.getValue()));
        }
    }

    private EntryPage page(Family index, byte[] prefix, TimeRange range, long afterSequence, int limit,
                           java.util.function.Predicate<JournalEntry> belongs) throws RocksDBException {
        List<JournalEntry> entries = new ArrayList<>();
        long scanned = 0;
        long lastSequence = afterSequence;
        try (RocksIterator iterator = db.newIterator(family(index))) {
            byte[] start = ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(afterSequence + 1)
                    .array();
            for (iterator.seek(start); iterator.isValid() && startsWith(iterator.key(), prefix); iterator.next()) {
                if (entries.size() >= limit || scanned >= EntryPage.MAX_SCANNED) {
                    return new EntryPage(entries, OptionalLong.of(lastSequence));
                }
                scanned++;
                lastSequence = ByteBuffer.wrap(iterator.key(), prefix.length, Long.BYTES).getLong();
                JournalEntry entry = decodeEntry(db.get(family(Family.ENTRIES), iterator.value()));
                if (belongs.test(entry) && range.contains(entry.getPostedAt())) {
                    entries.add(entry);
                }
            }
            iterator.status();
        }
        return new EntryPage(entries, OptionalLong.empty());
    }

    private List<String> indexedEntryIds(Family index, byte[] prefix, int limit) throws RocksDBException {
        List<String> entryIds = new ArrayList<>();
        try (RocksIterator iterator = db.newIterator(family(index))) {
            for (iterator.seek(prefix); iterator.isValid() && startsWith(iterator.key(), prefix)
                    && entryIds.size() < limit; iterator.next()) {
                entryIds.add(string(iterator.value()));
            }
            iterator.status();
        }
        return entryIds;
    }

    private boolean entryExists(String entryId) throws RocksDBException {
        return db.get(family(Family.ENTRIES), utf8(entryId)) != null;
    }

    private ChainHead readHead() throws RocksDBException {
        OptionalLong sequence = readLong(Family.METADATA, LAST_SEQUENCE);
        byte[] hash = db.get(family(Family.METADATA), LAST_HASH);
        if (sequence.isEmpty() != (hash == null)) {
            throw new LedgerStoreException("ledger metadata is inconsistent: sequence and hash must be stored together");
        }
        return sequence.isEmpty() ? ChainHead.GENESIS : new ChainHead(sequence.getAsLong(), string(hash));
    }

    private OptionalLong readLong(Family family, byte[] key) throws RocksDBException {
        byte[] value = db.get(family(family), key);
        return value == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    private ColumnFamilyHandle family(Family family) {
        return families.get(family);
    }

    private <T> T withOpenStore(StoreAction<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new LedgerStoreException("the ledger store is closed");
            }
            return action.run();
        } catch (RocksDBException e) {
            throw new LedgerStoreException("the ledger database failed: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static byte[] encodeEntry(JournalEntry entry) {
        try {
            ByteBuffer buffer = entry.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new LedgerStoreException("Cannot encode entry " + entry.getEntryId(), e);
        }
    }

    private static JournalEntry decodeEntry(byte[] bytes) {
        if (bytes == null) {
            throw new LedgerStoreException("an index names an entry that is not stored");
        }
        try {
            return JournalEntry.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new LedgerStoreException("a stored entry cannot be decoded", e);
        }
    }

    private static byte[] encodeAudit(AuditRecord record) {
        try {
            ByteBuffer buffer = record.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new LedgerStoreException("Cannot encode refusal " + record.getAuditId(), e);
        }
    }

    private static AuditRecord decodeAudit(byte[] bytes) {
        try {
            return AuditRecord.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new LedgerStoreException("a stored refusal cannot be decoded", e);
        }
    }

    private static byte[] encodeBalance(AccountBalance balance) {
        byte[] currency = utf8(balance.currency());
        return ByteBuffer.allocate(2 * Long.BYTES + currency.length)
                .putLong(balance.debitsMinor())
                .putLong(balance.creditsMinor())
                .put(currency)
                .array();
    }

    private static AccountBalance decodeBalance(String account, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        long debitsMinor = buffer.getLong();
        long creditsMinor = buffer.getLong();
        byte[] currency = new byte[buffer.remaining()];
        buffer.get(currency);
        return new AccountBalance(account, string(currency), debitsMinor, creditsMinor);
    }

    /** {@code text} then 0x00: every index key of {@code text} starts with it. */
    private static byte[] prefixKey(String text) {
        byte[] utf8 = utf8(text);
        return Arrays.copyOf(utf8, utf8.length + 1);
    }

    private static byte[] indexKey(String text, byte[] sequence) {
        byte[] prefix = prefixKey(text);
        return ByteBuffer.allocate(prefix.length + sequence.length).put(prefix).put(sequence).array();
    }

    private static byte[] offsetKey(TopicPartition partition) {
        byte[] topic = utf8(partition.topic());
        return ByteBuffer.allocate(topic.length + 1 + Integer.BYTES)
                .put(topic).put(SEPARATOR).putInt(partition.partition()).array();
    }

    /** Big-endian, so RocksDB's byte order is numeric order for the non-negative numbers stored. */
    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
