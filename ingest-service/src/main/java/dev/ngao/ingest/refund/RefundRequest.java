package dev.ngao.ingest.refund;

/**
 * A refund body that passed every rule of its own; whether the original allows it is {@link RefundRules}'.
 *
 * @param merchantReference null when not given: the original's reference is used
 */
public record RefundRequest(String originalTransactionId, long amountMinor, String currency, RefundReason reason,
                            String merchantReference) {
}
