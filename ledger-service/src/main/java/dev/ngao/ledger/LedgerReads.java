package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.platform.rocksdb.RocksStore;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static dev.ngao.ledger.LedgerCodec.decodeAudit;
import static dev.ngao.ledger.LedgerCodec.decodeBalance;
import static dev.ngao.ledger.LedgerCodec.decodeEntry;
import static dev.ngao.platform.rocksdb.RocksCodec.longBytes;
import static dev.ngao.platform.rocksdb.RocksCodec.offsetKey;
import static dev.ngao.platform.rocksdb.RocksCodec.prefixKey;
import static dev.ngao.platform.rocksdb.RocksCodec.readLong;
import static dev.ngao.platform.rocksdb.RocksCodec.startsWith;
import static dev.ngao.platform.rocksdb.RocksCodec.string;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;

/**
 * The ledger's read side: every query over its column families ({@link LedgerFamily}), each on one open database,
 * any thread. {@link LedgerStore} adds the one writer and the database's life.
 */
abstract class LedgerReads implements LedgerView {

    /** Entries one transaction may have in a query answer; a payment has a handful over its life. */
    public static final int MAX_ENTRIES_PER_TRANSACTION = 100;
    /** Key in {@link LedgerFamily#METADATA} of where {@link UndecidedBackfill} stands. */
    static final byte[] UNDECIDED_BACKFILL = utf8("undecided-backfill");

    /** Runs {@code action} on the open database; a failure becomes a {@link LedgerStoreException}. */
    abstract <T> T read(RocksStore.Action<T> action);

    abstract ColumnFamilyHandle family(LedgerFamily family);

    /**
     * The oldest marks of the undecided index taken before {@code cutoff}, oldest first, at most {@code limit}:
     * reads only those keys (and the tombstones of marks removed before them), never the lifecycles.
     */
    public List<UndecidedSince> undecidedBefore(Instant cutoff, int limit) {
        return read(db -> {
            List<UndecidedSince> marks = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(LedgerFamily.UNDECIDED_SINCE))) {
                for (iterator.seekToFirst(); iterator.isValid() && marks.size() < limit; iterator.next()) {
                    UndecidedSince mark = LedgerCodec.undecidedMark(iterator.key());
                    if (!mark.since().isBefore(cutoff)) {
                        break;
                    }
                    marks.add(mark);
                }
                iterator.status();
            }
            return marks;
        });
    }

    /**
     * Marks of the undecided index after the key {@code afterKey} (from the first when it is empty), in key order
     * (oldest first), at most {@code limit}: one bounded step of {@link UndecidedBackfill}'s walk.
     */
    List<UndecidedSince> undecidedAfter(byte[] afterKey, int limit) {
        return keysAfter(LedgerFamily.UNDECIDED_SINCE, afterKey, limit,
                (key, value) -> LedgerCodec.undecidedMark(key));
    }

    /**
     * Lifecycles whose key (the transaction id, UTF-8) comes after {@code afterKey} (from the first when it is
     * empty), in key order, at most {@code limit}: one bounded step of {@link UndecidedBackfill}'s walk.
     */
    List<Lifecycle> lifecyclesAfter(byte[] afterKey, int limit) {
        return keysAfter(LedgerFamily.LIFECYCLES, afterKey, limit, (key, value) -> Lifecycle.decode(value));
    }

    /** Where {@link UndecidedBackfill} stands; empty before its first pass. */
    Optional<UndecidedBackfill.Progress> undecidedBackfill() {
        return read(db -> Optional.ofNullable(db.get(family(LedgerFamily.METADATA), UNDECIDED_BACKFILL))
                .map(LedgerCodec::decodeBackfill));
    }

    /** The trace an entry was posted in, when the event that caused it carried one. */
    public Optional<Traceparent> traceOf(String entryId) {
        return read(db -> {
            byte[] text = db.get(family(LedgerFamily.ENTRY_TRACES), utf8(entryId));
            return text == null ? Optional.<Traceparent>empty()
                    : Traceparent.parse(new String(text, StandardCharsets.UTF_8));
        });
    }

    /** Refusals numbered above {@code number}, in order, at most {@code limit}, each with its number. */
    public List<Numbered<AuditRecord>> refusalsAfter(long number, int limit) {
        return read(db -> {
            List<Numbered<AuditRecord>> refusals = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(LedgerFamily.REFUSALS))) {
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
        return read(db -> {
            List<AccountBalance> balances = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(LedgerFamily.BALANCES))) {
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
        return read(db -> {
            byte[] prefix = utf8(type.segment() + ":" + owner + ":");
            List<AccountBalance> balances = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(LedgerFamily.BALANCES))) {
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
        return read(db -> Optional.ofNullable(db.get(family(LedgerFamily.LIFECYCLES), utf8(transactionId)))
                .map(Lifecycle::decode));
    }

    /**
     * The entries of {@code transactionId} posted in [{@code from}, {@code to}), in sequence order, after
     * sequence {@code afterSequence}, at most {@code limit}.
     */
    public EntryPage entriesOfTransaction(String transactionId, TimeRange range, long afterSequence, int limit) {
        return read(db -> page(db, LedgerFamily.TRANSACTION_ENTRIES, prefixKey(transactionId), range, afterSequence,
                limit, entry -> entry.getTransactionId().equals(transactionId)));
    }

    /** The entries that touched {@code account} posted in {@code range}, after {@code afterSequence}, paged. */
    public EntryPage entriesOfAccount(AccountName account, TimeRange range, long afterSequence, int limit) {
        return read(db -> page(db, LedgerFamily.ACCOUNT_ENTRIES, prefixKey(account.toString()), range, afterSequence,
                limit, entry -> true));
    }

    /**
     * Entries posted in {@code range}, by posting time then sequence, handed to {@code consumer} one at a
     * time (a day's export need not fit in memory).
     */
    public void forEachEntryPosted(TimeRange range, Consumer<JournalEntry> consumer) {
        read(db -> {
            try (RocksIterator iterator = db.newIterator(family(LedgerFamily.TIME_ENTRIES))) {
                byte[] end = longBytes(range.to().toEpochMilli());
                for (iterator.seek(longBytes(range.from().toEpochMilli())); iterator.isValid()
                        && Arrays.compareUnsigned(iterator.key(), 0, Long.BYTES, end, 0, Long.BYTES) < 0; iterator.next()) {
                    consumer.accept(decodeEntry(db.get(family(LedgerFamily.ENTRIES), iterator.value())));
                }
                iterator.status();
            }
            return null;
        });
    }

    @Override
    public boolean containsEntry(String entryId) {
        return read(db -> entryExists(db, entryId));
    }

    public Optional<JournalEntry> entry(String entryId) {
        return read(db -> Optional.ofNullable(db.get(family(LedgerFamily.ENTRIES), utf8(entryId)))
                .map(LedgerCodec::decodeEntry));
    }

    @Override
    public Optional<AccountBalance> balance(AccountName account) {
        return read(db -> Optional.ofNullable(db.get(family(LedgerFamily.BALANCES), utf8(account.toString())))
                .map(value -> decodeBalance(account.toString(), value)));
    }

    /** The entries of one transaction in sequence order, at most {@link #MAX_ENTRIES_PER_TRANSACTION}. */
    public List<JournalEntry> entriesOfTransaction(String transactionId) {
        return read(db -> {
            List<JournalEntry> entries = new ArrayList<>();
            for (String entryId : indexedEntryIds(db, LedgerFamily.TRANSACTION_ENTRIES, prefixKey(transactionId),
                    MAX_ENTRIES_PER_TRANSACTION)) {
                JournalEntry entry = decodeEntry(db.get(family(LedgerFamily.ENTRIES), utf8(entryId)));
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
        return read(db -> indexedEntryIds(db, LedgerFamily.ACCOUNT_ENTRIES, prefixKey(account.toString()), limit));
    }

    /** Entries with a sequence above {@code sequence}, in order, at most {@code limit}. */
    public List<JournalEntry> entriesAfter(long sequence, int limit) {
        return read(db -> {
            List<JournalEntry> entries = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(LedgerFamily.ENTRY_SEQUENCE))) {
                for (iterator.seek(longBytes(sequence + 1)); iterator.isValid() && entries.size() < limit;
                     iterator.next()) {
                    entries.add(decodeEntry(db.get(family(LedgerFamily.ENTRIES), iterator.value())));
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
        return read(db -> {
            Map<String, CurrencyTotals> totals = new TreeMap<>();
            try (RocksIterator iterator = db.newIterator(family(LedgerFamily.BALANCES))) {
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
        return read(db -> readLong(db.get(family(LedgerFamily.OFFSETS), offsetKey(partition))));
    }

    private EntryPage page(RocksDB db, LedgerFamily index, byte[] prefix, TimeRange range, long afterSequence, int limit,
                           Predicate<JournalEntry> belongs) throws RocksDBException {
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
                JournalEntry entry = decodeEntry(db.get(family(LedgerFamily.ENTRIES), iterator.value()));
                if (belongs.test(entry) && range.contains(entry.getPostedAt())) {
                    entries.add(entry);
                }
            }
            iterator.status();
        }
        return new EntryPage(entries, OptionalLong.empty());
    }

    private List<String> indexedEntryIds(RocksDB db, LedgerFamily index, byte[] prefix, int limit) throws RocksDBException {
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

    private <T> List<T> keysAfter(LedgerFamily family, byte[] afterKey, int limit, BiFunction<byte[], byte[], T> decode) {
        return read(db -> {
            List<T> found = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(family(family))) {
                iterator.seek(afterKey);
                if (iterator.isValid() && Arrays.equals(iterator.key(), afterKey)) {
                    iterator.next();
                }
                for (; iterator.isValid() && found.size() < limit; iterator.next()) {
                    found.add(decode.apply(iterator.key(), iterator.value()));
                }
                iterator.status();
            }
            return found;
        });
    }

    boolean entryExists(RocksDB db, String entryId) throws RocksDBException {
        return db.get(family(LedgerFamily.ENTRIES), utf8(entryId)) != null;
    }
}
