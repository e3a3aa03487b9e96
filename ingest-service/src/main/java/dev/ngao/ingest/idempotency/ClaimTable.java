package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyClaim;
import dev.ngao.events.IdempotencyCompletion;
import dev.ngao.events.IdempotencyRecord;
import dev.ngao.events.IdempotencyRelease;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The fold of {@code ingest.idempotency}: record key to {@link ClaimState}, built by applying the records of
 * each partition in log order. The rule reads only what the records carry (ids and the times their writers
 * put in them), never this instance's clock, so every instance that applies the same log reaches the same
 * states, and all of them name the same winner for a key:
 * <ul>
 *   <li>A claim wins when the key is free at the claim's own {@code claimedAt}: no state, or a state whose
 *       {@code expiresAt} has passed. Otherwise it loses and changes nothing. So the first claim in log
 *       order wins; later ones lose while it is live. A winning claim that carries its payload
 *       ({@link ClaimPayload}) is {@link ClaimState.Accepted}: final, until its own {@code expiresAt}.</li>
 *   <li>A completion counts only for the claim that holds the key (same claim id, not an accepted one) and
 *       only if written before that claim's lease ran out; the answer then holds until the completion's
 *       {@code expiresAt}.</li>
 *   <li>A release counts only for the claim that holds the key (not an accepted one) and frees it.</li>
 * </ul>
 *
 * <p>Kept in RocksDB, off the Java heap ({@link IngestStateStores}): column family {@value #STATES} maps the
 * record key to its state, and {@value #EXPIRY} orders the keys by the instant the sweep may remove them,
 * {@link #SWEEP_GRACE} after the later of the state's expiry and the moment it was applied (by the local
 * clock, which assumes instance clocks agree within that grace; a state applied while the log is re-read at
 * start is so kept at least the grace, long enough for the completion that may follow its claim in the log).
 * The sweep walks that order from its oldest end, at most {@link #SWEEP_STEP_KEYS} keys at a time, at most
 * once per {@link #SWEEP_INTERVAL}, on the follower's thread; requests only ever read one key. Like the map it
 * replaces, the table is a cache of the topic: its directory is emptied when it opens and the follower folds
 * the topic again from offset zero, at every start.
 *
 * <p>Bounded by {@code maxEntries}, sized for the keys of one expiry period (the disk holds them; about 300
 * bytes each). If the table is full of live states, a record for a new key cannot be kept; from then on this
 * instance does not know whether an absent key is free, so {@link #saturatedAt} is true until every state it
 * dropped would have expired, and the store refuses new keys meanwhile rather than risk a second winner.
 *
 * <p>Thread-safe: the follower applies and sweeps (one at a time), request handlers read (a point lookup, not
 * waiting for the follower).
 */
final class ClaimTable implements AutoCloseable {

    /** How long after its expiry (and after it was applied) a state is kept before the sweep removes it. */
    static final Duration SWEEP_GRACE = Duration.ofMinutes(10);
    /** The longest answer expiry any instance may write (the configuration's upper bound). */
    static final Duration MAXIMUM_ANSWER_EXPIRY = Duration.ofHours(48);
    /** How often the follower looks for states to sweep. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** Most keys one sweep step removes: 10,000 a second, ten times the rate the default bound is sized for. */
    static final int SWEEP_STEP_KEYS = 10_000;
    static final String STATES = "claims";
    static final String EXPIRY = "claims-by-sweep-time";

    private final long maxEntries;
    private final IngestStateStores stores;
    private final RocksStore rocks;
    private final ColumnFamilyHandle states;
    private final ColumnFamilyHandle expiry;
    private volatile long entries;
    private volatile Instant saturatedUntil = Instant.MIN;
    private Instant lastSweep = Instant.MIN;
    /** The last index key swept: the next step seeks past it rather than over the deletions behind it. */
    private byte[] sweptUpTo;
    /** Whether the last sweep step stopped at its limit, with more perhaps due. */
    private boolean stepFull;
    private long droppedRecords;

    ClaimTable(IngestStateStores stores, long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.stores = stores;
        this.rocks = stores.open("idempotency", List.of(STATES, EXPIRY), IllegalStateException::new);
        this.states = rocks.family(STATES);
        this.expiry = rocks.family(EXPIRY);
    }

    /**
     * Applies one record without payload in log order; see {@link #apply(String, IdempotencyRecord, String, Instant)}.
     */
    synchronized boolean apply(String recordKey, IdempotencyRecord record, Instant now) {
        return apply(recordKey, record, null, now);
    }

    /**
     * Applies one record in log order. {@code acceptedSubjectId} is the subject of the payload a claim
     * carries, null when it carries none. {@code now} (the local clock) decides only when states long expired
     * are swept.
     *
     * @return whether the key's state changed; for a claim, whether it won
     */
    synchronized boolean apply(String recordKey, IdempotencyRecord record, String acceptedSubjectId, Instant now) {
        if (Duration.between(lastSweep, now).compareTo(SWEEP_INTERVAL) >= 0) {
            sweepStep(now);
        }
        byte[] key = RocksCodec.utf8(recordKey);
        ClaimState current = stored(key).map(ClaimStateCodec.Stored::state).orElse(null);
        Object step = record.getStep();
        if (step instanceof IdempotencyClaim claim) {
            return applyClaim(key, record.getClaimId(), claim, acceptedSubjectId, current, now);
        }
        if (step instanceof IdempotencyCompletion completion) {
            return applyCompletion(key, record.getClaimId(), completion, current, now);
        }
        if (step instanceof IdempotencyRelease && current instanceof ClaimState.Claimed claimed
                && claimed.claimId().equals(record.getClaimId())) {
            rocks.read(db -> {
                db.delete(states, stores.unlogged(), key);
                return null;
            });
            entries--;
            return true;
        }
        return false;
    }

    private boolean applyClaim(byte[] key, String claimId, IdempotencyClaim claim, String acceptedSubjectId,
                               ClaimState current, Instant now) {
        if (current != null && current.liveAt(claim.getClaimedAt())) {
            return false;
        }
        ClaimState claimed = acceptedSubjectId == null
                ? new ClaimState.Claimed(claimId, claim.getFingerprint(), claim.getExpiresAt())
                : new ClaimState.Accepted(claimId, claim.getFingerprint(), claim.getExpiresAt(), acceptedSubjectId);
        if (current == null && !makeRoom(now)) {
            droppedRecords++;
            Instant horizon = claim.getExpiresAt().plus(MAXIMUM_ANSWER_EXPIRY).plus(SWEEP_GRACE);
            saturatedUntil = horizon.isAfter(saturatedUntil) ? horizon : saturatedUntil;
            return false;
        }
        put(key, claimed, now);
        if (current == null) {
            entries++;
        }
        return true;
    }

    private boolean applyCompletion(byte[] key, String claimId, IdempotencyCompletion completion,
                                    ClaimState current, Instant now) {
        if (current instanceof ClaimState.Claimed claimed && claimed.claimId().equals(claimId)
                && completion.getCompletedAt().isBefore(claimed.expiresAt())) {
            put(key, new ClaimState.Completed(claimId, claimed.fingerprint(), RecordedAnswer.of(completion),
                    completion.getExpiresAt()), now);
            return true;
        }
        return false;
    }

    /** Writes the state and its place in the sweep order (an older place stays, and is skipped when swept). */
    private void put(byte[] key, ClaimState state, Instant now) {
        Instant kept = state.expiresAt().isAfter(now) ? state.expiresAt() : now;
        long sweepAtMillis = kept.plus(SWEEP_GRACE).toEpochMilli();
        rocks.read(db -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(states, key, ClaimStateCodec.encode(state, sweepAtMillis));
                batch.put(expiry, RocksCodec.concat(RocksCodec.longBytes(sweepAtMillis), key), new byte[0]);
                db.write(stores.unlogged(), batch);
            }
            return null;
        });
    }

    private boolean makeRoom(Instant now) {
        if (entries < maxEntries) {
            return true;
        }
        sweep(now);
        return entries < maxEntries;
    }

    /** Removes every state whose sweep instant is not after {@code now}; returns how many. */
    synchronized int sweep(Instant now) {
        int removed = 0;
        do {
            removed += sweepStep(now);
        } while (stepFull);
        return removed;
    }

    /**
     * Removes at most {@link #SWEEP_STEP_KEYS} states whose sweep instant is not after {@code now}, oldest
     * first; returns how many it removed (entries of the order whose state moved on count nothing).
     */
    private int sweepStep(Instant now) {
        lastSweep = now;
        long nowMillis = now.toEpochMilli();
        int[] removed = {0};
        stepFull = false;
        rocks.read(db -> {
            try (RocksIterator iterator = db.newIterator(expiry); WriteBatch batch = new WriteBatch()) {
                seekPastSwept(iterator);
                for (int visited = 0; iterator.isValid(); visited++, iterator.next()) {
                    if (visited == SWEEP_STEP_KEYS) {
                        stepFull = true;
                        break;
                    }
                    byte[] indexKey = iterator.key();
                    long sweepAt = sweepAtOf(indexKey);
                    if (sweepAt > nowMillis) {
                        break;
                    }
                    byte[] key = Arrays.copyOfRange(indexKey, Long.BYTES, indexKey.length);
                    byte[] value = db.get(states, key);
                    // A key claimed again since has a later sweep instant: only its stale place is removed.
                    if (value != null && ClaimStateCodec.sweepAtMillis(value) == sweepAt) {
                        batch.delete(states, key);
                        removed[0]++;
                    }
                    batch.delete(expiry, indexKey);
                    sweptUpTo = indexKey;
                }
                db.write(stores.unlogged(), batch);
            }
            return null;
        });
        entries -= removed[0];
        return removed[0];
    }

    private void seekPastSwept(RocksIterator iterator) {
        if (sweptUpTo == null) {
            iterator.seekToFirst();
            return;
        }
        iterator.seek(sweptUpTo);
        if (iterator.isValid() && Arrays.equals(iterator.key(), sweptUpTo)) {
            iterator.next();
        }
    }

    private static long sweepAtOf(byte[] indexKey) {
        return ByteBuffer.wrap(indexKey, 0, Long.BYTES).getLong();
    }

    private Optional<ClaimStateCodec.Stored> stored(byte[] key) {
        return rocks.read(db -> Optional.ofNullable(db.get(states, key)).map(ClaimStateCodec::decode));
    }

    /** The key's state if it still holds at {@code now}. */
    Optional<ClaimState> live(String recordKey, Instant now) {
        return current(recordKey).filter(state -> state.liveAt(now));
    }

    /** The key's state as folded, live or not (until swept): the verdict on a claim just read back. */
    Optional<ClaimState> current(String recordKey) {
        return stored(RocksCodec.utf8(recordKey)).map(ClaimStateCodec.Stored::state);
    }

    /** Whether a state was dropped for lack of room and might still be live, so absent keys cannot be judged. */
    boolean saturatedAt(Instant now) {
        return now.isBefore(saturatedUntil);
    }

    /** How many keys have a state (swept ones no longer count). */
    long size() {
        return entries;
    }

    synchronized long droppedRecords() {
        return droppedRecords;
    }

    /** Closes the table's database; the directory is emptied at the next start anyway. */
    @Override
    public synchronized void close() {
        rocks.close();
    }
}
