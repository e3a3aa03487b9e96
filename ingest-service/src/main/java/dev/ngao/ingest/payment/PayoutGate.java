package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Maker-checker for payouts: whether a payout waits for a second person's approval instead of going to
 * {@code payments.requests}, and holding it. A held payout's claim on {@code ingest.idempotency} carries no
 * event, only its transaction id under {@link #HELD_SUBJECT_PREFIX}, so no relay publishes it and a retry of
 * its key is answered as held.
 */
public interface PayoutGate {

    /** Marks a claim's subject as a held payout's transaction id. */
    String HELD_SUBJECT_PREFIX = "held:";

    /** No payout is ever held. */
    PayoutGate NONE = new PayoutGate() {
        @Override
        public boolean holds(PaymentRequest event) {
            return false;
        }

        @Override
        public boolean full(String merchantId) {
            return false;
        }

        @Override
        public CompletableFuture<String> hold(PaymentRequest event, String requestedBy) {
            throw new IllegalStateException("no payout is held here");
        }

        @Override
        public String approvalId(String transactionId) {
            throw new IllegalStateException("no payout is held here");
        }

        @Override
        public Optional<String> heldStatus(String transactionId, String merchantId) {
            return Optional.empty();
        }

        @Override
        public boolean recorded(String transactionId) {
            return false;
        }
    };

    /** Whether {@code event} (any payment request) is a payout above its merchant's threshold. */
    boolean holds(PaymentRequest event);

    /** Whether {@code merchantId} has as many pending approvals as it may: a payout to hold is refused. */
    boolean full(String merchantId);

    /** Writes the pending approval of {@code event}; completes with its id once written. */
    CompletableFuture<String> hold(PaymentRequest event, String requestedBy);

    /** The approval id of a held payout: derived from its transaction id, so retries name the same. */
    String approvalId(String transactionId);

    /**
     * The status of a held payout not yet on {@code payments.requests} (PENDING_APPROVAL, REJECTED, EXPIRED),
     * when {@code transactionId} is one of {@code merchantId}'s; empty otherwise (unknown, or approved and
     * published: its status is the payment's).
     */
    Optional<String> heldStatus(String transactionId, String merchantId);

    /** Whether the approval of the held payout {@code transactionId} is on {@code ingest.approvals}. */
    boolean recorded(String transactionId);

    static boolean isHeld(String claimSubject) {
        return claimSubject.startsWith(HELD_SUBJECT_PREFIX);
    }

    static String heldSubject(String transactionId) {
        return HELD_SUBJECT_PREFIX + transactionId;
    }

    static String transactionIdOf(String claimSubject) {
        return isHeld(claimSubject) ? claimSubject.substring(HELD_SUBJECT_PREFIX.length()) : claimSubject;
    }
}
