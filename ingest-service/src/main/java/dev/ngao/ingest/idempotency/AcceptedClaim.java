package dev.ngao.ingest.idempotency;

import java.time.Instant;

/**
 * A claim carrying its payload that won its key, as the fold applied it: on this instance's own write or
 * on any other instance's. {@code presentAtStart} tells a record that was already in the log when this
 * instance started following it (read while catching up) from one written since.
 */
public record AcceptedClaim(String recordKey, ClaimPayload payload, Instant claimedAt, boolean presentAtStart) {
}
