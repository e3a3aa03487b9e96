package dev.ngao.console;

import dev.ngao.events.BreakKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderHealth;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;
import java.util.List;

/** Events as the console reads them, for tests. */
final class Events {

    static final Instant REQUESTED_AT = Instant.parse("2026-11-30T14:05:00Z");

    private Events() {
    }

    static RiskDecision decision(String transactionId, String merchantId, Outcome outcome, DecisionReason... reasons) {
        return SampleEvents.riskDecision(transactionId, outcome)
                .setMerchantId(merchantId)
                .setAccountId("wallet-hash-" + transactionId.substring(transactionId.length() - 6))
                .setAmount(SampleEvents.money(1_500_050, "KES"))
                .setReasons(List.of(reasons))
                .setScore(outcome == Outcome.REVIEW ? 60 : null)
                .setRequestedAt(REQUESTED_AT)
                .setDecidedAt(REQUESTED_AT.plusMillis(40))
                .setMerchantRuleSet(merchantId)
                .build();
    }

    static RiskDecision resolution(RiskDecision review, Outcome outcome, String resolutionId) {
        return RiskDecision.newBuilder(review).setOutcome(outcome).setKind(DecisionKind.REVIEW_RESOLUTION)
                .setResolutionId(resolutionId).setDecidedAt(review.getDecidedAt().plusSeconds(60)).build();
    }

    static DecisionReason reason(String ruleId, Outcome outcome, String message) {
        return DecisionReason.newBuilder().setRuleId(ruleId).setRuleSetVersion("2026-11-22.1").setOutcome(outcome)
                .setMessage(message).setShadow(false).setDimension("ACCOUNT").build();
    }

    static ReconciliationBreak reconciliationBreak(String breakId, BreakKind kind, String transactionId, String day) {
        return ReconciliationBreak.newBuilder()
                .setBreakId(breakId)
                .setKind(kind)
                .setTransactionId(transactionId)
                .setExpected(SampleEvents.money(250_000, "PEN"))
                .setActual(SampleEvents.money(240_000, "PEN"))
                .setDetail("report amount differs from the ledger")
                .setDetectedAt(Instant.parse("2026-12-01T06:00:00Z"))
                .setProvider("pagoefectivo")
                .setProviderReference("cip-" + breakId)
                .setSettlementDay(day)
                .setRunId(day == null ? null : "run-pagoefectivo-" + day)
                .build();
    }

    static ProviderHealthEvent health(String provider, ProviderHealth status, Instant observedAt) {
        return ProviderHealthEvent.newBuilder()
                .setProvider(provider)
                .setStatus(status)
                .setPreviousStatus(status == ProviderHealth.UP ? ProviderHealth.DOWN : ProviderHealth.UP)
                .setConsecutiveFailures(status == ProviderHealth.DOWN ? 3 : 0)
                .setDetail(status == ProviderHealth.DOWN ? "timeout after 2000 ms" : "HTTP 200")
                .setObservedAt(observedAt)
                .build();
    }
}
