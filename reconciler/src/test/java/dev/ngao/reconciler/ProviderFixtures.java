package dev.ngao.reconciler;

import dev.ngao.events.AccountKind;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;

import java.time.Instant;
import java.util.List;

/** Approvals and provider events of one provider, shaped as risk-streams and ingest-service write them. */
public final class ProviderFixtures {

    private ProviderFixtures() {
    }

    public static RiskDecision approval(String transactionId, String provider, long amountMinor, String currency,
                                        Instant decidedAt) {
        return RiskDecision.newBuilder()
                .setTransactionId(transactionId)
                .setType(provider.equals("pagoefectivo") ? PaymentType.CIP_PAYMENT
                        : PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("merchant-1")
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("account-" + transactionId)
                .setAmount(new Money(amountMinor, currency))
                .setProvider(provider)
                .setOutcome(Outcome.APPROVE)
                .setReasons(List.of())
                .setRequestedAt(decidedAt.minusMillis(5))
                .setDecidedAt(decidedAt)
                .build();
    }

    public static ProviderEvent event(String transactionId, String provider, String reference, ProviderStatus status,
                                      Instant occurredAt, Money fee) {
        return ProviderEvent.newBuilder()
                .setEventId("pev-" + transactionId + "-" + status)
                .setProvider(provider)
                .setProviderEventId("p-" + transactionId + "-" + status)
                .setTransactionId(transactionId)
                .setProviderReference(reference)
                .setStatus(status)
                .setFee(fee)
                .setSource(ProviderEventSource.WEBHOOK)
                .setOccurredAt(occurredAt)
                .setReceivedAt(occurredAt.plusSeconds(1))
                .setTransition(StatusTransition.APPLIED)
                .build();
    }

    public static Money money(long amountMinor, String currency) {
        return new Money(amountMinor, currency);
    }
}
