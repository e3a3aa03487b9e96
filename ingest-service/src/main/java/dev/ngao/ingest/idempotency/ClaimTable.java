package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyClaim;
import dev.ngao.events.IdempotencyCompletion;
import dev.ngao.events.IdempotencyRecord;
import dev.ngao.events.IdempotencyRelease;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <p>Bounded by {@code maxEntries}. States long expired are swept ({@link #SWEEP_GRACE} after their
 * expiry by the local clock, which assumes instance clocks agree within that grace). If the table is full
 * of live states, a record for a new key cannot be kept; from then on this instance does not know whether
 * an absent key is free, so {@link #saturatedAt} is true until every state it dropped would have expired,
 * and the store refuses new keys meanwhile rather than risk a second winner.
 *
 * <p>Thread-safe: the follower applies, request handlers read.
 */
final class ClaimTable {

    /** How long after its expiry a state is kept before the sweep removes it. */
    static final Duration SWEEP_GRACE = Duration.ofMinutes(10);
    /** The longest answer expiry any instance may write (the configuration's upper bound). */
    static final Duration MAXIMUM_ANSWER_EXPIRY = Duration.ofHours(48);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final int maxEntries;
    private final Map<String, ClaimState> states = new LinkedHashMap<>();
    private Instant saturatedUntil = Instant.MIN;
    private Instant lastSweep = Instant.MIN;
    private long droppedRecords;

    ClaimTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /**
     * Applies one record without payload in log order; see {@link #apply(String, IdempotencyRecord, String, Instant)}.
     */
    synchronized boolean apply(String recordKey, IdempotencyRecord record, Instant now) {
        return apply(recordKey, record, null, now);
    }

    /**
     * Applies one record in log order. {@code acceptedSubjectId} is the subject of the payload a claim
     * carries, null when it carries none. {@code now} (the local clock) is used only to sweep expired states
     * when the table is full.
     *
     * @return whether the key's state changed; for a claim, whether it won
     */
    synchronized boolean apply(String recordKey, IdempotencyRecord record, String acceptedSubjectId, Instant now) {
        ClaimState current = states.get(recordKey);
        Object step = record.getStep();
        if (step instanceof IdempotencyClaim claim) {
            return applyClaim(recordKey, record.getClaimId(), claim, acceptedSubjectId, current, now);
        }
        if (step instanceof IdempotencyCompletion completion) {
            return applyCompletion(recordKey, record.getClaimId(), completion, current);
        }
        if (step instanceof IdempotencyRelease && current instanceof ClaimState.Claimed claimed
                && claimed.claimId().equals(record.getClaimId())) {
            states.remove(recordKey);
            return true;
        }
        return false;
    }

    private boolean applyClaim(String recordKey, String claimId, IdempotencyClaim claim, String acceptedSubjectId,
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
        // Removed first so a reclaimed key moves to the end: the map stays roughly in claim order.
        states.remove(recordKey);
        states.put(recordKey, claimed);
        return true;
    }

    private boolean applyCompletion(String recordKey, String claimId, IdempotencyCompletion completion,
                                    ClaimState current) {
        if (current instanceof ClaimState.Claimed claimed && claimed.claimId().equals(claimId)
                && completion.getCompletedAt().isBefore(claimed.expiresAt())) {
            states.put(recordKey, new ClaimState.Completed(claimId, claimed.fingerprint(),
                    RecordedAnswer.of(completion), completion.getExpiresAt()));
            return true;
        }
        return false;
    }

    private boolean makeRoom(Instant now) {
        if (states.size() < maxEntries) {
            return true;
        }
        if (Duration.between(lastSweep, now).compareTo(SWEEP_INTERVAL) >= 0) {
            sweep(now);
        }
        return states.size() < maxEntries;
    }

    /** Removes states that expired more than {@link #SWEEP_GRACE} before {@code now}; returns how many. */
    synchronized int sweep(Instant now) {
        lastSweep = now;
        Instant cutoff = now.minus(SWEEP_GRACE);
        int removed = 0;
        for (Iterator<ClaimState> iterator = states.values().iterator(); iterator.hasNext(); ) {
            if (!iterator.next().expiresAt().isAfter(cutoff)) {
                iterator.remove();
                removed++;
            }
        }
        return removed;
    }

    /** The key's state if it still holds at {@code now}. */
    synchronized Optional<ClaimState> live(String recordKey, Instant now) {
        return Optional.ofNullable(states.get(recordKey)).filter(state -> state.liveAt(now));
    }

    /** The key's state as folded, live or not: the verdict on a claim just read back. */
    synchronized Optional<ClaimState> current(String recordKey) {
        return Optional.ofNullable(states.get(recordKey));
    }

    /** Whether a state was dropped for lack of room and might still be live, so absent keys cannot be judged. */
    synchronized boolean saturatedAt(Instant now) {
        return now.isBefore(saturatedUntil);
    }

    synchronized int size() {
        return states.size();
    }

    synchronized long droppedRecords() {
        return droppedRecords;
    }
}
