package dev.ngao.reconciler.report;

import dev.ngao.events.BreakKind;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.providers.report.ReportFormatException;
import dev.ngao.providers.report.ReportRow;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.reconciler.audit.AuditSink;
import dev.ngao.reconciler.view.PostedPaymentsView;
import dev.ngao.reconciler.view.RunStore;
import dev.ngao.reconciler.view.ViewPayment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reconciles one provider's settlement report for one day against the ledger view, streaming:
 * <ol>
 *   <li>every normalised row goes to the run's own RocksDB column family, keyed by reference and line, so
 *   memory does not grow with the report;</li>
 *   <li>one merge pass walks the run's rows and the view's index of the provider's day side by side, both in
 *   reference byte order: each reference is matched once ({@link ReferenceMatcher}), one-to-one for the
 *   payment, one-to-many for its fee rows; a reference on one side only is missing on the other;</li>
 *   <li>each break is written to the CSV and HTML reports and, unless an earlier run of the day already did,
 *   emitted to {@code recon.breaks} in batches; the ids of acknowledged breaks are remembered, so a re-run of
 *   the day emits nothing new and, as breaks keep their first detection time, writes identical reports.</li>
 * </ol>
 * Every run that starts, whatever it comes to, leaves one audit record ({@link RunAudit}) on
 * {@code audit.reconciler}, after its breaks (which the break sink audits one by one) were acknowledged.
 * One run at a time per reconciler (a lock): two runs of one day would race on what was emitted.
 */
public final class ReportReconciler {

    /** Breaks sent to Kafka per acknowledgement wait. */
    static final int EMIT_BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ReportReconciler.class);

    private final PostedPaymentsView view;
    private final BreakSink sink;
    private final AuditSink audit;
    private final Clock clock;
    private final long toleranceMinor;
    private final Path reportDirectory;
    private final ReentrantLock oneRunAtATime = new ReentrantLock();
    private volatile boolean closed;

    /**
     * @param sink            where new breaks go (with their audit records)
     * @param audit           where each run's audit record goes
     * @param toleranceMinor  the largest amount difference, in minor units, still taken as agreement
     * @param reportDirectory where the CSV and HTML reports of each run are written
     */
    public ReportReconciler(PostedPaymentsView view, BreakSink sink, AuditSink audit, Clock clock, long toleranceMinor,
                            Path reportDirectory) {
        this.view = view;
        this.sink = sink;
        this.audit = audit;
        this.clock = clock;
        this.toleranceMinor = toleranceMinor;
        this.reportDirectory = reportDirectory;
    }

    /**
     * Reconciles {@code report}, read with {@code format}, as {@code run}'s settlement report, started by
     * {@code origin} (whom the run's audit record names).
     *
     * @throws ReportFormatException when a row cannot be read, is of another provider or day, or has a reference
     *                               that cannot be indexed; nothing is emitted then but the run's audit record
     * @throws IOException           when the report cannot be read or the reports cannot be written
     */
    public RunSummary reconcile(RunId run, RunOrigin origin, SettlementReportFormat format, Reader report)
            throws IOException {
        return reconcile(run, origin, format.read(report));
    }

    /** Reconciles rows already normalised (the benchmark's generator, or a format read elsewhere). */
    public RunSummary reconcile(RunId run, RunOrigin origin, Iterator<ReportRow> report) throws IOException {
        oneRunAtATime.lock();
        if (closed) {
            oneRunAtATime.unlock();
            throw new IllegalStateException("the reconciler is closing; run " + run.id() + " was not started");
        }
        try {
            RunSummary summary;
            try {
                summary = run(run, report);
            } catch (IOException | RuntimeException e) {
                auditEnded(run, origin, e);
                throw e;
            }
            audit.publish(List.of(RunAudit.completed(origin, summary, now())));
            return summary;
        } finally {
            oneRunAtATime.unlock();
        }
    }

    private RunSummary run(RunId run, Iterator<ReportRow> report) throws IOException {
        try (RunStore rows = view.openRunStore(run.provider() + "-" + run.day())) {
            Loaded loaded = load(run, report, rows);
            LOG.info("Run {}: {} rows loaded ({} fee rows), matching", run.id(), loaded.rows, loaded.feeRows);
            return match(run, rows, loaded);
        }
    }

    /**
     * The audit record of a run that did not complete; when even that cannot be written, the run's own failure
     * is still the one thrown, carrying the audit's.
     */
    private void auditEnded(RunId run, RunOrigin origin, Exception failure) {
        try {
            audit.publish(List.of(RunAudit.ended(run, origin, failure, now())));
        } catch (RuntimeException auditFailure) {
            failure.addSuppressed(auditFailure);
        }
    }

    /** Milliseconds, as Avro keeps them. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /**
     * Refuses new runs and waits up to {@code timeout} for a running one to end, so that the ledger view is not
     * closed under it. Returns whether no run is left.
     */
    public boolean close(java.time.Duration timeout) throws InterruptedException {
        closed = true;
        if (oneRunAtATime.tryLock(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            oneRunAtATime.unlock();
            return true;
        }
        LOG.warn("A report run is still going after {}; closing anyway", timeout);
        return false;
    }

    private record Loaded(long rows, long paymentRows, long feeRows, SortedMap<String, Long> totalsMinor) {
    }

    private static Loaded load(RunId run, Iterator<ReportRow> iterator, RunStore rows) {
        long count = 0;
        long fees = 0;
        SortedMap<String, Long> totals = new TreeMap<>();
        while (iterator.hasNext()) {
            ReportRow row = iterator.next();
            check(run, row);
            count++;
            if (row.type() == ReportRow.RowType.FEE) {
                fees++;
            } else {
                totals.merge(row.amount().getCurrency(), row.amount().getAmountMinor(), Math::addExact);
            }
            rows.add(row.providerReference().getBytes(StandardCharsets.UTF_8), count,
                    ReferenceGroup.Row.of(row).encode());
        }
        return new Loaded(count, count - fees, fees, totals);
    }

    private static void check(RunId run, ReportRow row) {
        if (!row.provider().equals(run.provider())) {
            throw new ReportFormatException(row.lineNumber(), "row of provider " + row.provider()
                    + " in a report of " + run.provider());
        }
        if (!row.settlementDay().equals(run.day())) {
            throw new ReportFormatException(row.lineNumber(), "row of settlement day " + row.settlementDay()
                    + " in a report of " + run.day());
        }
        String reference = row.providerReference();
        if (reference.isEmpty() || reference.indexOf('\0') >= 0 || reference.length() > 256) {
            throw new ReportFormatException(row.lineNumber(), "provider reference empty, too long or holding NUL");
        }
    }

    private RunSummary match(RunId run, RunStore rows, Loaded loaded) throws IOException {
        ReferenceMatcher matcher = new ReferenceMatcher(run, toleranceMinor);
        boolean reportHasFees = loaded.feeRows > 0;
        Counters counters = new Counters();
        // A re-run reads the stored detection time back and must write the same text.
        Instant now = now();
        try (BreakReportWriter writer = new BreakReportWriter(reportDirectory, run);
             RunStore.RowCursor report = rows.rows();
             PostedPaymentsView.DayCursor ledger = view.openDay(run.provider(), run.day())) {
            Emitter emitter = new Emitter(run, writer, now, counters);
            PostedPaymentsView.IndexedPayment payment = ledger.hasNext() ? ledger.next() : null;
            while (report.valid() || payment != null) {
                int order = !report.valid() ? 1 : payment == null ? -1
                        : Arrays.compareUnsigned(report.reference(), payment.reference());
                ReferenceGroup group = order <= 0 ? readGroup(report) : null;
                ViewPayment ledgerPayment = order >= 0 ? payment.payment() : null;
                String reference = group != null ? group.reference()
                        : new String(payment.reference(), StandardCharsets.UTF_8);
                if (ledgerPayment != null) {
                    counters.ledger(ledgerPayment);
                    payment = ledger.hasNext() ? ledger.next() : null;
                }
                if (ledgerPayment == null && group != null) {
                    ledgerPayment = withoutKnownReference(run, group);
                }
                List<FoundBreak> found = matcher.match(reference, ledgerPayment, group, reportHasFees,
                        ledgerPayment == null && group != null ? dayElsewhere(run, reference) : null);
                if (found.isEmpty() && group != null && ledgerPayment != null) {
                    counters.matched++;
                }
                for (FoundBreak each : found) {
                    emitter.add(each);
                }
            }
            emitter.flush();
            RunSummary summary = new RunSummary(run, loaded.rows, loaded.paymentRows, loaded.feeRows,
                    counters.ledgerPayments, counters.matched, counters.byKind, counters.newBreaks,
                    loaded.totalsMinor, counters.ledgerTotals, writer.csvPath(), writer.htmlPath());
            writer.finish(summary);
            LOG.info("Run {}: {} matched, {} breaks ({} new)", run.id(), summary.matched(), summary.totalBreaks(),
                    summary.newBreaks());
            return summary;
        }
    }

    /**
     * The ledger's payment of the row's transaction id when the provider's reference never reached the ledger
     * (its webhook was dropped: the view indexes it under the transaction id), on the same provider and day;
     * matched, it shows as the disagreement it is (a status the ledger never heard), not as missing.
     */
    private ViewPayment withoutKnownReference(RunId run, ReferenceGroup group) {
        String transactionId = group.transactionId();
        if (transactionId == null) {
            return null;
        }
        return view.payment(transactionId)
                .filter(ViewPayment::inLedger)
                .filter(payment -> payment.providerReference() == null)
                .filter(payment -> run.provider().equals(payment.provider()))
                .filter(payment -> run.day().equals(payment.settlementDay()))
                .orElse(null);
    }

    /** The settlement day the ledger has a reference on, when not the run's: a point read, on breaks only. */
    private java.time.LocalDate dayElsewhere(RunId run, String reference) {
        return view.paymentByReference(run.provider(), reference)
                .filter(ViewPayment::inLedger)
                .map(ViewPayment::settlementDay)
                .filter(day -> !day.equals(run.day()))
                .orElse(null);
    }

    /** Reads every row of the cursor's current reference. */
    private static ReferenceGroup readGroup(RunStore.RowCursor cursor) {
        byte[] reference = cursor.reference();
        ReferenceGroup group = new ReferenceGroup(new String(reference, StandardCharsets.UTF_8));
        while (cursor.valid() && Arrays.equals(cursor.reference(), reference)) {
            group.add(ReferenceGroup.Row.decode(cursor.value()));
            cursor.next();
        }
        return group;
    }

    private static final class Counters {
        long ledgerPayments;
        long matched;
        long newBreaks;
        final Map<BreakKind, Long> byKind = new EnumMap<>(BreakKind.class);
        final SortedMap<String, Long> ledgerTotals = new TreeMap<>();

        void ledger(ViewPayment payment) {
            ledgerPayments++;
            if (payment.expectedAmount() != null) {
                ledgerTotals.merge(payment.expectedAmount().getCurrency(), payment.expectedAmount().getAmountMinor(),
                        Math::addExact);
            }
        }
    }

    /** Writes every break to the reports; sends the new ones in batches and remembers them once acknowledged. */
    private final class Emitter {
        private final RunId run;
        private final BreakReportWriter writer;
        private final Instant now;
        private final Counters counters;
        private final List<ReconciliationBreak> unsent = new ArrayList<>();

        Emitter(RunId run, BreakReportWriter writer, Instant now, Counters counters) {
            this.run = run;
            this.writer = writer;
            this.now = now;
            this.counters = counters;
        }

        void add(FoundBreak found) {
            var emittedAt = view.emittedAt(found.breakId());
            Instant detectedAt = emittedAt.isPresent() ? Instant.ofEpochMilli(emittedAt.getAsLong()) : now;
            ReconciliationBreak reconciliationBreak = found.toBreak(run, detectedAt);
            counters.byKind.merge(found.kind(), 1L, Long::sum);
            writer.add(reconciliationBreak);
            if (emittedAt.isEmpty()) {
                unsent.add(reconciliationBreak);
                if (unsent.size() >= EMIT_BATCH) {
                    flush();
                }
            }
        }

        void flush() {
            if (unsent.isEmpty()) {
                return;
            }
            sink.publish(unsent);
            Map<String, Long> emitted = new LinkedHashMap<>();
            unsent.forEach(sent -> emitted.put(sent.getBreakId(), sent.getDetectedAt().toEpochMilli()));
            view.markEmitted(emitted);
            counters.newBreaks += unsent.size();
            unsent.clear();
        }
    }
}
