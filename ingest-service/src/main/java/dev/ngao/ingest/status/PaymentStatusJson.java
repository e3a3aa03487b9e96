package dev.ngao.ingest.status;

import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.Outcome;
import dev.ngao.events.ResolutionSource;
import dev.ngao.ingest.cip.CipTime;
import dev.ngao.platform.money.Amounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The status answer of any transaction type: the amount back as decimal text, and no MSISDN, document, email
 * or phone at all. A CIP shows its code and expiry (UTC and Lima time); a card authorization shows the answer
 * the network got and who decided it; a refund its original; a resolved review the analyst's outcome; a
 * challenged payment its challenge.
 */
public final class PaymentStatusJson {

    public static final String DECIDED_BY_RISK = "risk";
    public static final String DECIDED_BY_TIMEOUT_DEFAULT = "timeout-default";
    /** Appended to a payment's path: where its challenge's result is posted. */
    public static final String CHALLENGE_SUFFIX = "/challenge";

    private PaymentStatusJson() {
    }

    public static JsonObject of(PaymentStatus status, String selfPath) {
        JsonObject json = new JsonObject()
                .put("transactionId", status.transactionId())
                .put("merchantReference", status.merchantReference())
                .put("type", status.type().name())
                .put("amount", Amounts.toDecimalText(status.amountMinor(), status.currency()))
                .put("currency", status.currency())
                .put("status", status.state().name())
                .put("requestedAt", status.requestedAt().toString());
        if (status.originalTransactionId() != null) {
            json.put("originalTransactionId", status.originalTransactionId());
        }
        if (status.cip() != null) {
            json.put("cip", new JsonObject()
                    .put("code", status.cip().paymentCode())
                    .put("expiresAt", status.cip().expiresAt().toString())
                    .put("expiresAtLocal", CipTime.localText(status.cip().expiresAt()))
                    .put("timeZone", CipTime.ZONE.getId()));
        }
        if (status.answer() != null) {
            json.put("decision", answerJson(status));
        } else if (status.decision() != null) {
            json.put("decision", decisionJson(status.decision()));
        }
        PaymentStatus.Resolution resolution = status.resolution();
        if (resolution != null && resolution.source() != ResolutionSource.CHALLENGE) {
            json.put("review", new JsonObject()
                    .put("outcome", resolution.outcome().name())
                    .put("resolvedAt", resolution.resolvedAt().toString()));
        }
        if (status.decision() != null && status.decision().challenge() != null) {
            json.put("challenge", challengeJson(status, selfPath));
        }
        return json.put("links", new JsonObject().put("self", selfPath));
    }

    /**
     * The step-up challenge: its status (a posted result counts before risk's final decision is read back), until
     * when a result is taken, and while it is pending where to post it.
     */
    private static JsonObject challengeJson(PaymentStatus status, String selfPath) {
        PaymentStatus.Challenge challenge = status.decision().challenge();
        PaymentStatus.Resolution posted = status.resolution();
        PaymentStatus.ChallengeStatus current = challenge.status();
        if (current == PaymentStatus.ChallengeStatus.PENDING && posted != null
                && posted.source() == ResolutionSource.CHALLENGE) {
            current = posted.outcome() == Outcome.APPROVE ? PaymentStatus.ChallengeStatus.PASSED
                    : PaymentStatus.ChallengeStatus.FAILED;
        }
        JsonObject json = new JsonObject()
                .put("status", current.name())
                .put("expiresAt", challenge.expiresAt().toString());
        if (posted != null && posted.source() == ResolutionSource.CHALLENGE) {
            json.put("resultPostedAt", posted.resolvedAt().toString());
        }
        if (current == PaymentStatus.ChallengeStatus.PENDING) {
            json.put("links", new JsonObject().put("complete", selfPath + CHALLENGE_SUFFIX));
        }
        return json;
    }

    private static JsonObject decisionJson(PaymentStatus.Decision decision) {
        return new JsonObject()
                .put("outcome", decision.outcome().name())
                .put("decidedBy", DECIDED_BY_RISK)
                .put("reasons", reasonsJson(decision))
                .put("decidedAt", decision.decidedAt().toString());
    }

    /** What the card network was told; risk's reasons when risk decided in time. */
    private static JsonObject answerJson(PaymentStatus status) {
        PaymentStatus.Answer answer = status.answer();
        boolean byRisk = answer.decidedBy() == AuthorizationDecider.RISK;
        JsonObject json = new JsonObject()
                .put("outcome", answer.outcome().name())
                .put("decidedBy", byRisk ? DECIDED_BY_RISK : DECIDED_BY_TIMEOUT_DEFAULT)
                .put("message", answer.reason())
                .put("reasons", byRisk && status.decision() != null ? reasonsJson(status.decision()) : new JsonArray())
                .put("decidedAt", answer.answeredAt().toString());
        if (!byRisk && status.decision() != null) {
            // risk-streams decided after the deadline: shown, but it did not change the answer.
            json.put("lateRiskDecision", decisionJson(status.decision()));
        }
        return json;
    }

    private static JsonArray reasonsJson(PaymentStatus.Decision decision) {
        JsonArray reasons = new JsonArray();
        decision.reasons().forEach(reason -> reasons.add(new JsonObject()
                .put("ruleId", reason.ruleId())
                .put("ruleSetVersion", reason.ruleSetVersion())
                .put("outcome", reason.outcome().name())
                .put("message", reason.message())));
        return reasons;
    }
}
