package dev.ngao.reconciler.report;

import dev.ngao.events.BreakKind;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;

import java.time.Instant;

/**
 * A disagreement one run found, before it is stamped with the time it was first detected.
 *
 * @param breakId deterministic: kind, provider, settlement day and reference (and {@code fee} for a fee break),
 *                so a re-run of the day finds the same ids
 */
record FoundBreak(String breakId, BreakKind kind, String transactionId, String providerReference, Money expected,
                  Money actual, String detail) {

    ReconciliationBreak toBreak(RunId run, Instant detectedAt) {
        return ReconciliationBreak.newBuilder()
                .setBreakId(breakId)
                .setKind(kind)
                .setTransactionId(transactionId)
                .setExpected(expected)
                .setActual(actual)
                .setDetail(detail)
                .setDetectedAt(detectedAt)
                .setProvider(run.provider())
                .setProviderReference(providerReference)
                .setSettlementDay(run.day().toString())
                .setRunId(run.id())
                .build();
    }
}
