package dev.ngao.ingest.idempotency;

import java.util.regex.Pattern;

/**
 * A key in its scope: a merchant's {@code Idempotency-Key} under {@code merchant:<merchantId>} (two merchants
 * may use the same key), a provider's event id under {@code webhook:<provider>}, a transaction id under
 * {@code webhook-transaction} for the short lock that orders status changes. On Kafka the record key is
 * {@code scope|key}; the scope never contains {@code |}, so the first one separates them.
 */
public record ClaimKey(String scope, String key) {

    private static final Pattern SCOPE = Pattern.compile("[a-z-]{1,32}(:[A-Za-z0-9._-]{1,64})?");

    public ClaimKey {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("scope must be name[:id] of lower-case letters, '-' and an identifier");
        }
        if (!IdempotencyKeys.isValid(key)) {
            throw new IllegalArgumentException("key must be 1 to " + IdempotencyKeys.MAXIMUM_LENGTH
                    + " printable ASCII characters");
        }
    }

    public static ClaimKey merchant(String merchantId, String idempotencyKey) {
        return new ClaimKey("merchant:" + merchantId, idempotencyKey);
    }

    public static ClaimKey webhook(String provider, String providerEventId) {
        return new ClaimKey("webhook:" + provider, providerEventId);
    }

    public static ClaimKey transactionLock(String transactionId) {
        return new ClaimKey("webhook-transaction", transactionId);
    }

    /** The Kafka record key, which also picks the partition: every step of one key lands in one partition. */
    public String recordKey() {
        return scope + "|" + key;
    }

    @Override
    public String toString() {
        // Keys are merchant-chosen text and are not logged; the scope is enough to diagnose.
        return "ClaimKey[" + scope + "]";
    }
}
