package dev.ngao.ingest.idempotency;

/** Proof of having won a key: what the winner completes or releases. */
public record ClaimTicket(ClaimKey key, String claimId, String fingerprint) {
}
