package dev.ngao.reconciler.audit;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the reconciler writes on {@code audit.reconciler}, and the record of a reconciliation break, written beside
 * the break itself (report runs have theirs in {@code RunAudit}). Everything in a break's record is deterministic
 * from the break (its id, its first detection time), so the same break written again after a crash or a rebalance
 * is the same record under the same {@code auditId}: a reader de-duplicates by that id. A break carries ids,
 * references, statuses and amounts only, never personal data, and so does its record.
 */
public final class ReconcilerAudit {

    /** The {@code component} and, for what the reconciler does on its own, the {@code actor}. */
    public static final String COMPONENT = "reconciler";
    public static final String BREAK_RAISED_ACTION = "break.raised";
    public static final String BREAK_CLEARED_ACTION = "break.cleared";
    /** A break is about one transaction: that is its subject, and the record's key, as on {@code recon.breaks}. */
    public static final String SUBJECT_TRANSACTION = "transaction";

    private ReconcilerAudit() {
    }

    /** {@code break-raised:<breakId>}: one record per break, however often it is written. */
    public static String breakAuditId(ReconciliationBreak found) {
        return "break-raised:" + found.getBreakId();
    }

    /** The break cleared by its late counterpart ({@code cleared} on recon.breaks): its own audit record. */
    public static AuditRecord breakCleared(ReconciliationBreak cleared) {
        AuditRecord record = breakRaised(cleared);
        record.setAuditId("break-cleared:" + cleared.getBreakId());
        record.setAction(BREAK_CLEARED_ACTION);
        record.setOccurredAt(cleared.getClearedAt());
        return record;
    }

    /** The break raised, with every fact of it an analyst needs to find it again. */
    public static AuditRecord breakRaised(ReconciliationBreak found) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("breakId", found.getBreakId());
        details.put("kind", found.getKind().name());
        putIfPresent(details, "provider", found.getProvider());
        putIfPresent(details, "providerReference", found.getProviderReference());
        putIfPresent(details, "settlementDay", found.getSettlementDay());
        putIfPresent(details, "runId", found.getRunId());
        putMoney(details, "expected", found.getExpected());
        putMoney(details, "actual", found.getActual());
        details.put("detail", found.getDetail());
        return AuditRecord.newBuilder()
                .setAuditId(breakAuditId(found))
                .setOccurredAt(found.getDetectedAt())
                .setComponent(COMPONENT)
                .setActor(COMPONENT)
                .setAction(BREAK_RAISED_ACTION)
                .setSubjectType(SUBJECT_TRANSACTION)
                .setSubjectId(found.getTransactionId())
                .setOutcome(AuditOutcome.SUCCESS)
                .setDetails(new HashMap<>(details))
                .build();
    }

    private static void putIfPresent(Map<String, String> details, String name, String value) {
        if (value != null) {
            details.put(name, value);
        }
    }

    private static void putMoney(Map<String, String> details, String side, Money amount) {
        if (amount != null) {
            details.put(side + "Minor", Long.toString(amount.getAmountMinor()));
            details.put(side + "Currency", amount.getCurrency());
        }
    }
}
