package dev.ngao.console;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.Money;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The console's JSON of each event, field by field: what the page shows, amounts in minor units with the
 * decimal text beside them (never a float), times as UTC ISO-8601.
 */
final class ConsoleJson {

    private ConsoleJson() {
    }

    static JsonObject decision(RiskDecision decision) {
        JsonArray reasons = new JsonArray();
        for (DecisionReason reason : decision.getReasons()) {
            reasons.add(new JsonObject()
                    .put("ruleId", reason.getRuleId())
                    .put("ruleSetVersion", reason.getRuleSetVersion())
                    .put("outcome", reason.getOutcome().name())
                    .put("message", reason.getMessage())
                    .put("shadow", reason.getShadow())
                    .put("dimension", reason.getDimension()));
        }
        return new JsonObject()
                .put("transactionId", decision.getTransactionId())
                .put("kind", decision.getKind().name())
                .put("type", decision.getType().name())
                .put("accountKind", decision.getAccountKind().name())
                .put("accountId", decision.getAccountId())
                .put("amount", money(decision.getAmount()))
                .put("provider", decision.getProvider())
                .put("outcome", decision.getOutcome().name())
                .put("score", decision.getScore())
                .put("ruleSet", decision.getMerchantRuleSet())
                .put("reasons", reasons)
                .put("resolutionId", decision.getResolutionId())
                .put("requestedAt", decision.getRequestedAt().toString())
                .put("decidedAt", decision.getDecidedAt().toString());
    }

    static JsonObject review(ConsoleViews.OpenReview review) {
        JsonObject json = decision(review.decision());
        review.sent().ifPresent(sent -> json.put("sentResolution", new JsonObject()
                .put("outcome", sent.outcome().name())
                .put("resolutionId", sent.resolutionId())
                .put("analystKeyId", sent.analystKeyId())));
        return json;
    }

    static JsonObject reconciliationBreak(ReconciliationBreak found) {
        return new JsonObject()
                .put("breakId", found.getBreakId())
                .put("kind", found.getKind().name())
                .put("transactionId", found.getTransactionId())
                .put("provider", found.getProvider())
                .put("providerReference", found.getProviderReference())
                .put("expected", found.getExpected() == null ? null : money(found.getExpected()))
                .put("actual", found.getActual() == null ? null : money(found.getActual()))
                .put("detail", found.getDetail())
                .put("settlementDay", ConsoleViews.dayOf(found))
                .put("runId", found.getRunId())
                .put("detectedAt", found.getDetectedAt().toString());
    }

    static JsonObject health(ProviderHealthEvent event) {
        return new JsonObject()
                .put("provider", event.getProvider())
                .put("status", event.getStatus().name())
                .put("previousStatus", event.getPreviousStatus() == null ? null : event.getPreviousStatus().name())
                .put("consecutiveFailures", event.getConsecutiveFailures())
                .put("detail", event.getDetail())
                .put("observedAt", event.getObservedAt().toString());
    }

    static JsonObject stop(EmergencyStop stop) {
        return new JsonObject()
                .put("stopId", stop.getStopId())
                .put("scope", stop.getScope().name())
                .put("target", stop.getTarget())
                .put("traffic", stop.getTraffic().name())
                .put("reason", stop.getReason())
                .put("changedBy", stop.getApiKeyId())
                .put("changedAt", stop.getChangedAt().toString());
    }

    static JsonObject money(Money money) {
        String text;
        try {
            text = Amounts.toDecimalText(money.getAmountMinor(), money.getCurrency());
        } catch (IllegalArgumentException e) {
            text = Long.toString(money.getAmountMinor());
        }
        return new JsonObject()
                .put("minor", money.getAmountMinor())
                .put("currency", money.getCurrency())
                .put("text", text);
    }
}
