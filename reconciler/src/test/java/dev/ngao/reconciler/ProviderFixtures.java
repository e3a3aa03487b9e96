package dev.ngao.reconciler;

import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;

/** Approvals and provider events of one provider, shaped as risk-streams and ingest-service write them. */
public final class ProviderFixtures {

    private ProviderFixtures() {
    }

    public static RiskDecision approval(String transactionId, String provider, long amountMinor, String currency,
                                        Instant decidedAt) {
        return SampleEvents.riskDecision(transactionId, Outcome.APPROVE)
                .setType(provider.equals("pagoefectivo") ? PaymentType.CIP_PAYMENT
                        : PaymentType.MOBILE_MONEY_COLLECTION)
                .setAccountId("account-" + transactionId)
                .setAmount(new Money(amountMinor, currency))
                .setProvider(provider)
                .setRequestedAt(decidedAt.minusMillis(5))
                .setDecidedAt(decidedAt)
                .build();
    }

    public static ProviderEvent event(String transactionId, String provider, String reference, ProviderStatus status,
                                      Instant occurredAt, Money fee) {
        return SampleEvents.providerEvent(transactionId, "pev-" + transactionId + "-" + status, status)
                .setProvider(provider)
                .setProviderEventId("p-" + transactionId + "-" + status)
                .setProviderReference(reference)
                .setFee(fee)
                .setOccurredAt(occurredAt)
                .setReceivedAt(occurredAt.plusSeconds(1))
                .build();
    }

    public static Money money(long amountMinor, String currency) {
        return new Money(amountMinor, currency);
    }
}
