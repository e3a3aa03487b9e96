package dev.ngao.ingest.idempotency;

import java.time.Instant;

/**
 * What the log says about a key, once folded: claimed by someone and awaiting an answer, answered, or
 * accepted by a claim that carried its own payload (final at once).
 */
public sealed interface ClaimState {

    String claimId();

    String fingerprint();

    /** The claim's lease end, or the recorded answer's expiry. */
    Instant expiresAt();

    /** Whether the state still holds at {@code at}; after it, the key is free again. */
    default boolean liveAt(Instant at) {
        return at.isBefore(expiresAt());
    }

    /** Claimed and not answered yet: the claimant is working, or died and the lease will run out. */
    record Claimed(String claimId, String fingerprint, Instant expiresAt) implements ClaimState {
    }

    /**
     * Accepted by a claim that carried what it accepted ({@link ClaimPayload}): final from the moment it is
     * first in the log, with no completion to wait for. The answer is a function of {@code subjectId} (a
     * transaction id), so the route rebuilds it byte for byte for every retry until expiry.
     */
    record Accepted(String claimId, String fingerprint, Instant expiresAt, String subjectId) implements ClaimState {
    }

    /** Answered: retries with the same fingerprint get {@code answer}, byte for byte, until expiry. */
    record Completed(String claimId, String fingerprint, RecordedAnswer answer, Instant expiresAt)
            implements ClaimState {
    }
}
