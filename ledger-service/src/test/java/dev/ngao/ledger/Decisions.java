package dev.ngao.ledger;

import dev.ngao.events.AccountKind;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;

import java.time.Instant;
import java.util.List;

/** Risk decisions for tests: a merchant m-1 paid through the mobile-money-hub provider. */
final class Decisions {

    static final String MERCHANT = "m-1";
    static final String PROVIDER = "mobile-money-hub";
    private static final Instant REQUESTED_AT = Instant.parse("2025-01-15T10:00:00Z");

    private Decisions() {
    }

    static RiskDecision decision(String transactionId, PaymentType type, Outcome outcome, long amountMinor,
                                 String currency) {
        return RiskDecision.newBuilder()
                .setTransactionId(transactionId)
                .setType(type)
                .setMerchantId(MERCHANT)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-hash-1")
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency(currency).build())
                .setProvider(PROVIDER)
                .setOutcome(outcome)
                .setReasons(List.of())
                .setRequestedAt(REQUESTED_AT)
                .setDecidedAt(REQUESTED_AT.plusMillis(15))
                .build();
    }

    static RiskDecision approvedCollection(String transactionId, long amountMinor) {
        return decision(transactionId, PaymentType.MOBILE_MONEY_COLLECTION, Outcome.APPROVE, amountMinor, "KES");
    }

    static RiskDecision approvedPayout(String transactionId, long amountMinor) {
        return decision(transactionId, PaymentType.MOBILE_MONEY_PAYOUT, Outcome.APPROVE, amountMinor, "KES");
    }
}
