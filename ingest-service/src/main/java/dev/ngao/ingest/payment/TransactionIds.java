package dev.ngao.ingest.payment;

import dev.ngao.platform.pii.PiiProtector;

/**
 * The transaction id of a payment, derived from the merchant and its {@code Idempotency-Key}: every attempt
 * of one request, on any instance, before or after a crash, names the same transaction, so its answer is a
 * function of the request and a redone write is a replay downstream (risk-streams drops a second record of a
 * transaction), never a second payment. A keyed hash (the deployment's pepper, its own dimension) rather
 * than a plain one, so nobody can compute another merchant's ids from keys they guessed. The format is the
 * one random ids had: {@code txn_} and 32 lower-case hex digits.
 */
public final class TransactionIds {

    /** Dimension of the keyed hash: ids cannot collide with the hashes of personal data. */
    static final String DIMENSION = "payment-transaction";

    private final PiiProtector keyedHash;

    public TransactionIds(PiiProtector keyedHash) {
        this.keyedHash = keyedHash;
    }

    /**
     * {@code txn_} + 32 hex of the keyed hash of merchant id and key, separated by a NUL, which neither can
     * contain (keys are printable ASCII), so no pair of them reads as another.
     */
    public String of(String merchantId, String idempotencyKey) {
        String hash = keyedHash.hash(DIMENSION, merchantId + '\0' + idempotencyKey);
        return PaymentRequestEvents.TRANSACTION_ID_PREFIX + hash.substring(DIMENSION.length() + 1);
    }
}
