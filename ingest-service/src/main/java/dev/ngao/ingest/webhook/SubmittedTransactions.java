package dev.ngao.ingest.webhook;

import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;
import org.rocksdb.ColumnFamilyHandle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The transactions Ngao submitted, as ingest knows them durably: every transaction id on
 * {@code payments.requests} (each payment, CIP code, card authorization, card load and refund ingest accepted,
 * on any instance) and on {@code providers.events} (a transaction a provider event was already written for).
 * Both topics are read from offset zero at every start, so after a restart the set is rebuilt from Kafka, not
 * from memory; it covers what the two topics keep (30 days each; every new provider event of a transaction
 * keeps it known for 30 more days).
 *
 * <p>A webhook must name a transaction in this set ({@link Verdict#KNOWN}). One that does not is
 * {@link Verdict#UNKNOWN} only while the set is complete: it holds at most {@code maxEntries} ids, and once one
 * had to be left out the set no longer proves that an id is unknown, so every miss is
 * {@link Verdict#UNVERIFIABLE} (the webhook is let through and audited as such) until a restart re-reads the
 * topics within the bound. A cache that forgets would refuse genuine webhooks; this one degrades to the check
 * it cannot make, loudly.
 *
 * <p>Compact, and off the Java heap: a 64-bit fingerprint per id, the key of an entry in a RocksDB store among
 * ingest's state stores ({@link IngestStateStores}), which starts empty at every start like the set itself.
 * Ingest's ids ({@code txn_} and 32 hex digits of a keyed hash) give their first 16 hex digits; other ids the
 * first 8 bytes of their SHA-256. Two ids with one fingerprint would let a webhook for the second through: with
 * 64 bits and tens of millions of ids, about one chance in 10^11 per unknown id. One point lookup per question.
 *
 * <p>Thread-safe: the feeds' threads record (one at a time), the event loop asks.
 */
public final class SubmittedTransactions {

    /** What the set says about a transaction id. */
    public enum Verdict {
        /** Submitted: a request or a provider event of it is on Kafka. */
        KNOWN,
        /** Not submitted: the set is complete and does not hold it. */
        UNKNOWN,
        /** Not in the set, which is not complete (it reached its bound): cannot tell. */
        UNVERIFIABLE
    }

    private static final Pattern INGEST_ID = Pattern.compile("txn_[0-9a-f]{32}");
    private static final String FINGERPRINTS = "fingerprints";
    /** The fingerprint no id has: an id whose fingerprint is 0 is stored as 1 (as the in-memory table did). */
    private static final long EMPTY = 0L;
    private static final byte[] PRESENT = new byte[0];

    private final int maxEntries;
    private final IngestStateStores stores;
    private final RocksStore rocks;
    private final ColumnFamilyHandle fingerprints;
    private volatile int size;
    private volatile boolean incomplete;

    /** An empty set in a store of its own among {@code stores}, closed with them. */
    public SubmittedTransactions(IngestStateStores stores, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.stores = stores;
        this.rocks = stores.open("submitted-transactions", List.of(FINGERPRINTS), IllegalStateException::new);
        this.fingerprints = rocks.family(FINGERPRINTS);
    }

    /** Adds a transaction Ngao submitted; beyond {@code maxEntries} ids the set is marked incomplete. */
    public void record(String transactionId) {
        if (transactionId == null || transactionId.isEmpty()) {
            return;
        }
        byte[] key = RocksCodec.longBytes(fingerprint(transactionId));
        synchronized (this) {
            if (contains(key)) {
                return;
            }
            if (size >= maxEntries) {
                incomplete = true;
                return;
            }
            rocks.read(db -> {
                db.put(fingerprints, stores.unlogged(), key, PRESENT);
                return null;
            });
            size++;
        }
    }

    public Verdict verdict(String transactionId) {
        if (contains(RocksCodec.longBytes(fingerprint(transactionId)))) {
            return Verdict.KNOWN;
        }
        return incomplete ? Verdict.UNVERIFIABLE : Verdict.UNKNOWN;
    }

    public int size() {
        return size;
    }

    /** Whether an id had to be left out: misses cannot be judged until a restart. */
    public boolean incomplete() {
        return incomplete;
    }

    private boolean contains(byte[] key) {
        return rocks.read(db -> db.get(fingerprints, key) != null);
    }

    static long fingerprint(String transactionId) {
        long fingerprint;
        if (INGEST_ID.matcher(transactionId).matches()) {
            fingerprint = Long.parseUnsignedLong(transactionId.substring(4, 20), 16);
        } else {
            byte[] digest = sha256(transactionId.getBytes(StandardCharsets.UTF_8));
            fingerprint = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        }
        return fingerprint == EMPTY ? 1 : fingerprint;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
