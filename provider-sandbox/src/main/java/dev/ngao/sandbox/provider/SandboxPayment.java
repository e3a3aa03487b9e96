package dev.ngao.sandbox.provider;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;

import java.time.Instant;
import java.util.Objects;

/**
 * One payment as a simulated provider holds it: its final status is decided when it is accepted and takes
 * effect at {@code finalAt}; until then (and, for a payment that waits for a query, until it is queried)
 * it is PENDING. No personal data is kept: the sandbox needs none to answer or to report.
 */
public final class SandboxPayment {

    private final ProviderKind kind;
    private final String transactionId;
    private final String reference;
    private final Money amount;
    private final Money fee;
    private final ProviderStatus finalStatus;
    private final Instant acceptedAt;
    private final boolean pendingUntilQueried;
    private volatile Instant finalAt;

    SandboxPayment(ProviderKind kind, String transactionId, String reference, Money amount, Money fee,
                   ProviderStatus finalStatus, Instant acceptedAt, Instant finalAt, boolean pendingUntilQueried) {
        this.kind = kind;
        this.transactionId = Objects.requireNonNull(transactionId);
        this.reference = Objects.requireNonNull(reference);
        this.amount = Objects.requireNonNull(amount);
        this.fee = fee;
        this.finalStatus = Objects.requireNonNull(finalStatus);
        this.acceptedAt = acceptedAt;
        this.finalAt = finalAt;
        this.pendingUntilQueried = pendingUntilQueried;
    }

    public ProviderKind kind() {
        return kind;
    }

    public String transactionId() {
        return transactionId;
    }

    public String reference() {
        return reference;
    }

    public Money amount() {
        return amount;
    }

    /** The provider's fee, charged only when the payment succeeds; null otherwise. */
    public Money fee() {
        return finalStatus == ProviderStatus.SUCCEEDED || finalStatus == ProviderStatus.REVERSED ? fee : null;
    }

    public ProviderStatus finalStatus() {
        return finalStatus;
    }

    public Instant acceptedAt() {
        return acceptedAt;
    }

    public boolean pendingUntilQueried() {
        return pendingUntilQueried;
    }

    /** When the final status took effect; null while the payment waits for a query. */
    public Instant finalAt() {
        return finalAt;
    }

    /** The status at {@code now}. */
    public ProviderStatus statusAt(Instant now) {
        Instant at = finalAt;
        return at == null || now.isBefore(at) ? ProviderStatus.PENDING : finalStatus;
    }

    /** A query reached a payment that waited for one: it settles now. */
    void settleOnQuery(Instant now) {
        if (finalAt == null) {
            finalAt = now;
        }
    }

    /** When the status the provider reports at {@code now} took effect. */
    public Instant statusSince(Instant now) {
        return statusAt(now) == ProviderStatus.PENDING ? acceptedAt : finalAt;
    }
}
