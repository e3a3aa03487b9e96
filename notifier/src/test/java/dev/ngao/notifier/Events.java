package dev.ngao.notifier;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;

import java.time.Instant;
import java.util.List;

/** Payment requests, decisions and provider events for tests: KES mobile-money collections. */
final class Events {

    static final String PROVIDER = "mobile-money-hub";
    static final String MSISDN = "+254712345678";
    static final Instant REQUESTED_AT = Instant.parse("2025-01-15T10:00:00Z");

    private Events() {
    }

    static PaymentRequest request(String transactionId, String merchantId, long amountMinor) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId(merchantId)
                .setMerchantReference("order-" + transactionId)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-hash-" + transactionId)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency("KES").build())
                .setProvider(PROVIDER)
                .setCountry("KE")
                .setMobileMoney(MobileMoneyDetails.newBuilder().setMsisdn(MSISDN).setMsisdnMasked("+2547******78")
                        .setOperator("MPESA").build())
                .setApiKeyId("key-1")
                .setRequestedAt(REQUESTED_AT)
                .build();
    }

    static RiskDecision decision(String transactionId, String merchantId, Outcome outcome, DecisionReason... reasons) {
        return RiskDecision.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId(merchantId)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-hash-" + transactionId)
                .setAmount(Money.newBuilder().setAmountMinor(150_050).setCurrency("KES").build())
                .setProvider(PROVIDER)
                .setOutcome(outcome)
                .setReasons(List.of(reasons))
                .setRequestedAt(REQUESTED_AT)
                .setDecidedAt(REQUESTED_AT.plusMillis(15))
                .setKind(DecisionKind.INITIAL)
                .build();
    }

    static DecisionReason reason(String ruleId, Outcome outcome, String message, boolean shadow) {
        return DecisionReason.newBuilder().setRuleId(ruleId).setRuleSetVersion("limits-v1").setOutcome(outcome)
                .setMessage(message).setShadow(shadow).build();
    }

    static ProviderEvent providerEvent(String transactionId, String eventId, ProviderStatus status) {
        return ProviderEvent.newBuilder()
                .setEventId(eventId)
                .setProvider(PROVIDER)
                .setProviderEventId("p-" + eventId)
                .setTransactionId(transactionId)
                .setStatus(status)
                .setSource(ProviderEventSource.WEBHOOK)
                .setOccurredAt(REQUESTED_AT.plusSeconds(5))
                .setReceivedAt(REQUESTED_AT.plusSeconds(6))
                .setTransition(StatusTransition.APPLIED)
                .build();
    }
}
