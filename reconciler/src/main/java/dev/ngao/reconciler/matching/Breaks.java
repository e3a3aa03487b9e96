package dev.ngao.reconciler.matching;

import dev.ngao.events.BreakKind;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;

import java.time.Duration;
import java.time.Instant;

/**
 * Builds the break a verdict reports. Details name transaction and entry ids, outcomes and amounts
 * only: never an account holder or anything else personal.
 */
final class Breaks {

    private Breaks() {
    }

    /** Deterministic, so that the same break found twice (a replay after a crash) carries one id. */
    static String breakId(BreakKind kind, String transactionId) {
        return kind.name() + ":" + transactionId;
    }

    /** The break {@code verdict} reports about {@code item}; the verdict must report one. */
    static ReconciliationBreak of(Verdict verdict, String transactionId, OpenItem item, Duration gracePeriod,
                                  Instant detectedAt) {
        return switch (verdict) {
            case AMOUNT_MISMATCH -> amountMismatch(transactionId, item, detectedAt);
            case POSTED_NOT_APPROVED -> postedNotApproved(transactionId, item, gracePeriod, detectedAt);
            case APPROVED_NOT_POSTED -> approvedNotPosted(transactionId, item, gracePeriod, detectedAt);
            case OPEN, MATCHED, NOTHING_OWED -> throw new IllegalArgumentException(verdict + " reports no break");
        };
    }

    /**
     * The {@code APPROVED_NOT_POSTED} break of {@code transactionId} cleared: the approval entry came after the grace
     * period and posts what was approved. Same id and detection time as the break; {@code cleared} with its time.
     */
    static ReconciliationBreak cleared(String transactionId, Money expected, Money actual, String entryId,
                                       Instant detectedAt, Instant clearedAt) {
        return markCleared(build(BreakKind.APPROVED_NOT_POSTED, transactionId, expected, actual,
                "cleared: the ledger approval entry " + entryId + " came after the grace period, at " + clearedAt
                        + ", and posts the approved " + text(expected.getAmountMinor(), expected.getCurrency()),
                detectedAt), clearedAt);
    }

    /**
     * The {@code APPROVED_NOT_POSTED} break of {@code transactionId} cleared by the ledger's refusal of the approval
     * (for want of funds), which came after the grace period: nothing was posted and nothing is owed. Same id and
     * detection time as the break; {@code cleared} with its time.
     */
    static ReconciliationBreak clearedByRefusal(String transactionId, Money approved, Instant detectedAt,
                                                Instant clearedAt) {
        return markCleared(build(BreakKind.APPROVED_NOT_POSTED, transactionId, approved, null,
                "cleared: the ledger refused the approval of " + text(approved.getAmountMinor(), approved.getCurrency())
                        + " (risk's final DECLINE, LEDGER_REFUSAL) after the grace period, at " + clearedAt
                        + "; nothing was posted and nothing is owed", detectedAt), clearedAt);
    }

    private static ReconciliationBreak markCleared(ReconciliationBreak found, Instant clearedAt) {
        found.setCleared(true);
        found.setClearedAt(clearedAt);
        return found;
    }

    /** A record that cannot be matched because it is not keyed by its own transaction id. */
    static ReconciliationBreak misKeyed(String transactionId, String topic, Instant detectedAt) {
        return build(BreakKind.UNKNOWN, transactionId, null, null,
                "a record of " + topic + " for this transaction was not keyed by its transaction id, so it "
                        + "cannot meet its counterpart and was not matched", detectedAt);
    }

    /** Minor units with their currency, exact: {@code 1250 KES (minor units)}. */
    static String text(long amountMinor, String currency) {
        return amountMinor + " " + currency + " (minor units)";
    }

    private static ReconciliationBreak amountMismatch(String transactionId, OpenItem item, Instant detectedAt) {
        Money expected = item.decision().amount();
        return build(BreakKind.AMOUNT_MISMATCH, transactionId, expected, item.postings().actual(expected.getCurrency()),
                "approved " + text(expected.getAmountMinor(), expected.getCurrency()) + " but the ledger posted "
                        + item.postings().describe(), detectedAt);
    }

    private static ReconciliationBreak postedNotApproved(String transactionId, OpenItem item, Duration gracePeriod,
                                                         Instant detectedAt) {
        String why = item.hasDecision()
                ? "the decision was " + item.decision().outcome() + ", which posts nothing"
                : "no decision arrived within the grace period of " + gracePeriod;
        return build(BreakKind.POSTED_NOT_APPROVED, transactionId, null, item.postings().actual(null),
                "the ledger posted " + item.postings().describe() + " but " + why, detectedAt);
    }

    private static ReconciliationBreak approvedNotPosted(String transactionId, OpenItem item, Duration gracePeriod,
                                                         Instant detectedAt) {
        SeenDecision decision = item.decision();
        return build(BreakKind.APPROVED_NOT_POSTED, transactionId, decision.amount(), null,
                "approved " + text(decision.amountMinor(), decision.currency()) + " at "
                        + Instant.ofEpochMilli(decision.decidedAtMs()) + " but no ledger approval entry arrived "
                        + "within the grace period of " + gracePeriod, detectedAt);
    }

    private static ReconciliationBreak build(BreakKind kind, String transactionId, Money expected, Money actual,
                                             String detail, Instant detectedAt) {
        return ReconciliationBreak.newBuilder()
                .setBreakId(breakId(kind, transactionId))
                .setKind(kind)
                .setTransactionId(transactionId)
                .setExpected(expected)
                .setActual(actual)
                .setDetail(detail)
                .setDetectedAt(detectedAt)
                .build();
    }
}
