package dev.ngao.reconciler.report;

import dev.ngao.events.BreakKind;

import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

/**
 * What one run did.
 *
 * @param breaksByKind          every break the run found, new or already emitted by an earlier run of the day
 * @param newBreaks             breaks emitted to {@code recon.breaks} by this run (0 on an idempotent re-run)
 * @param reportTotalsMinor     the report's payment rows summed per currency
 * @param ledgerTotalsMinor     the ledger view's payments of the day summed per currency
 */
public record RunSummary(RunId run, long rowsRead, long paymentRows, long feeRows, long ledgerPayments,
                         long matched, Map<BreakKind, Long> breaksByKind, long newBreaks,
                         SortedMap<String, Long> reportTotalsMinor, SortedMap<String, Long> ledgerTotalsMinor,
                         Path csvReport, Path htmlReport) {

    public long totalBreaks() {
        return breaksByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean clean() {
        return totalBreaks() == 0;
    }
}
