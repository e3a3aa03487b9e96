package dev.ngao.ledger;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;

import dev.ngao.schemas.SampleEvents;

/** Risk decisions and provider events for tests: a merchant m-1 paid through the mobile-money-hub provider. */
final class Decisions {

    static final String MERCHANT = "m-1";
    static final String PROVIDER = SampleEvents.PROVIDER;
    static final String CARD = "card_0123456789abcdef0123456789abcdef";

    private Decisions() {
    }

    static RiskDecision decision(String transactionId, PaymentType type, Outcome outcome, long amountMinor,
                                 String currency) {
        boolean card = type == PaymentType.CARD_LOAD || type == PaymentType.CARD_AUTHORIZATION;
        return SampleEvents.riskDecision(transactionId, outcome)
                .setType(type)
                .setMerchantId(MERCHANT)
                .setAccountKind(card ? AccountKind.CARD : AccountKind.WALLET)
                .setAccountId(card ? CARD : "wallet-hash-1")
                .setAmount(SampleEvents.money(amountMinor, currency))
                .build();
    }

    static RiskDecision approved(String transactionId, PaymentType type, long amountMinor) {
        return decision(transactionId, type, Outcome.APPROVE, amountMinor, "KES");
    }

    static RiskDecision approvedCollection(String transactionId, long amountMinor) {
        return approved(transactionId, PaymentType.MOBILE_MONEY_COLLECTION, amountMinor);
    }

    static RiskDecision approvedPayout(String transactionId, long amountMinor) {
        return approved(transactionId, PaymentType.MOBILE_MONEY_PAYOUT, amountMinor);
    }

    static RiskDecision resolution(String transactionId, PaymentType type, Outcome outcome, long amountMinor) {
        RiskDecision decision = decision(transactionId, type, outcome, amountMinor, "KES");
        decision.setKind(DecisionKind.REVIEW_RESOLUTION);
        decision.setResolutionId("res-" + transactionId);
        return decision;
    }

    /** The final decision a step-up challenge's result (or its expiry) became. */
    static RiskDecision challengeResult(String transactionId, PaymentType type, Outcome outcome, long amountMinor) {
        RiskDecision decision = decision(transactionId, type, outcome, amountMinor, "KES");
        decision.setKind(DecisionKind.CHALLENGE_RESULT);
        decision.setResolutionId("chl-" + transactionId);
        return decision;
    }

    /** The final decision of a card authorization the network was answered {@code outcome} for. */
    static RiskDecision authorizationAnswer(String transactionId, Outcome outcome, long amountMinor) {
        RiskDecision decision = decision(transactionId, PaymentType.CARD_AUTHORIZATION, outcome, amountMinor, "KES");
        decision.setKind(DecisionKind.AUTHORIZATION_ANSWER);
        return decision;
    }

    static RiskDecision refundToCard(String transactionId, long amountMinor) {
        RiskDecision decision = approved(transactionId, PaymentType.REFUND, amountMinor);
        decision.setAccountKind(AccountKind.CARD);
        decision.setAccountId(CARD);
        return decision;
    }

    static ProviderEvent status(String transactionId, String eventId, ProviderStatus status) {
        return SampleEvents.providerEvent(transactionId, eventId, status).build();
    }

    static ProviderEvent settlementReport(String transactionId, String eventId, StatusTransition transition) {
        ProviderEvent event = status(transactionId, eventId, ProviderStatus.SUCCEEDED);
        event.setSource(ProviderEventSource.SETTLEMENT_REPORT);
        event.setTransition(transition);
        return event;
    }

    static ProviderEvent withFee(ProviderEvent event, long feeMinor) {
        event.setFee(SampleEvents.money(feeMinor, "KES"));
        return event;
    }
}
