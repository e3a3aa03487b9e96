package dev.ngao.notifier;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;
import java.util.List;

/** Payment requests, decisions and provider events for tests: KES mobile-money collections. */
final class Events {

    static final String PROVIDER = "mobile-money-hub";
    static final String MSISDN = "+254712345678";
    static final Instant REQUESTED_AT = SampleEvents.REQUESTED_AT;

    private Events() {
    }

    static PaymentRequest request(String transactionId, String merchantId, long amountMinor) {
        return SampleEvents.paymentRequest(transactionId)
                .setMerchantId(merchantId)
                .setAccountId("wallet-hash-" + transactionId)
                .setAmount(SampleEvents.money(amountMinor, "KES"))
                .setCountry("KE")
                .setMobileMoney(MobileMoneyDetails.newBuilder().setMsisdn(MSISDN).setMsisdnMasked("+2547******78")
                        .setOperator("MPESA").build())
                .build();
    }

    static RiskDecision decision(String transactionId, String merchantId, Outcome outcome, DecisionReason... reasons) {
        return SampleEvents.riskDecision(transactionId, outcome)
                .setMerchantId(merchantId)
                .setAccountId("wallet-hash-" + transactionId)
                .setAmount(SampleEvents.money(150_050, "KES"))
                .setReasons(List.of(reasons))
                .build();
    }

    static DecisionReason reason(String ruleId, Outcome outcome, String message, boolean shadow) {
        return DecisionReason.newBuilder().setRuleId(ruleId).setRuleSetVersion("limits-v1").setOutcome(outcome)
                .setMessage(message).setShadow(shadow).build();
    }

    static ProviderEvent providerEvent(String transactionId, String eventId, ProviderStatus status) {
        return SampleEvents.providerEvent(transactionId, eventId, status).build();
    }
}
