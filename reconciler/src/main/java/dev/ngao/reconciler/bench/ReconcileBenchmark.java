package dev.ngao.reconciler.bench;

import dev.ngao.events.AccountKind;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.report.MobileMoneyHubReport;
import dev.ngao.providers.report.ReportRow;
import dev.ngao.reconciler.report.ReportReconciler;
import dev.ngao.reconciler.report.RunId;
import dev.ngao.reconciler.report.RunOrigin;
import dev.ngao.reconciler.report.RunSummary;
import dev.ngao.reconciler.view.PostedPaymentsView;
import dev.ngao.reconciler.view.ViewBatch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Benchmark, not a test: builds a ledger view of N settled mobile-money payments (one in ten with a fee), writes
 * the hub's settlement report of that day in its real CSV format (N payment rows plus the fee rows, in an order
 * unrelated to the references, with a few injected amount disagreements), and reconciles it, printing rows per
 * second and the peak heap. Run it with a small {@code -Xmx} to show the report is never held in memory:
 * <pre>
 * reconciler/bench-reconcile.sh            # 1,000,000 payments, -Xmx128m
 * NGAO_BENCH_PAYMENTS=200000 reconciler/bench-reconcile.sh
 * </pre>
 */
public final class ReconcileBenchmark {

    static final String HUB = ProviderKind.MOBILE_MONEY_HUB.id();
    static final LocalDate DAY = LocalDate.parse("2026-11-20");
    static final Instant MORNING = DAY.atTime(8, 0).toInstant(ZoneOffset.UTC);
    static final int VIEW_BATCH = 10_000;
    /** One payment in this many has a fee row; one in {@link #DISAGREEMENT_EVERY} is reported 1 unit off. */
    static final int FEE_EVERY = 10;
    static final int DISAGREEMENT_EVERY = 100_000;

    private ReconcileBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int payments = Integer.parseInt(System.getenv().getOrDefault("NGAO_BENCH_PAYMENTS", "1000000"));
        run(payments, System.out);
    }

    static void run(int payments, PrintStream out) throws IOException {
        Path directory = Files.createTempDirectory("ngao-recon-bench");
        try {
            Path reportFile = directory.resolve("report.csv");
            long reportRows = writeReport(payments, reportFile);
            out.printf("report: %,d rows (%,d payments, %,d fees), %,d bytes%n", reportRows, payments,
                    reportRows - payments, Files.size(reportFile));
            try (PostedPaymentsView view = PostedPaymentsView.open(directory.resolve("view"))) {
                long viewStart = System.nanoTime();
                buildView(view, payments);
                double viewSeconds = seconds(viewStart);
                out.printf("ledger view: %,d payments in %.1f s (%,.0f payments/s)%n", payments, viewSeconds,
                        payments / viewSeconds);
                reconcile(view, reportFile, directory, reportRows, out);
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void reconcile(PostedPaymentsView view, Path reportFile, Path directory, long reportRows, PrintStream out)
            throws IOException {
        AtomicLong breaks = new AtomicLong();
        // Nothing is audited, and the report is not hashed: the run alone is measured.
        ReportReconciler reconciler = new ReportReconciler(view, found -> breaks.addAndGet(found.size()),
                records -> { }, Clock.systemUTC(), 0, directory.resolve("reports"));
        System.gc();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        RunSummary summary;
        try (Reader report = Files.newBufferedReader(reportFile, StandardCharsets.UTF_8)) {
            summary = reconciler.reconcile(new RunId(HUB, DAY),
                    new RunOrigin("benchmark", RunOrigin.FILE, RunOrigin.NO_FILE), new MobileMoneyHubReport(), report);
        }
        double seconds = seconds(start);
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        sampler.interrupt();
        long peakPoolsBytes = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long maxHeapBytes = Runtime.getRuntime().maxMemory();
        out.printf("reconciled: %,d rows in %.1f s = %,.0f rows/s (process CPU %.1f s = %,.0f rows per CPU second); "
                        + "%,d matched, %,d breaks (%s)%n", reportRows, seconds, reportRows / seconds, cpuSeconds,
                reportRows / cpuSeconds, summary.matched(), summary.totalBreaks(), summary.breaksByKind());
        out.printf("heap: max %,d MiB; peak used during the run %,d MiB (sampled), sum of pool peaks %,d MiB%n",
                maxHeapBytes >> 20, sampler.peakBytes() >> 20, peakPoolsBytes >> 20);
        if (breaks.get() != summary.newBreaks()) {
            throw new IllegalStateException("breaks emitted and counted differ");
        }
    }

    private static void buildView(PostedPaymentsView view, int payments) {
        ViewBatch batch = view.newBatch();
        for (int index = 0; index < payments; index++) {
            String transactionId = transactionId(index);
            batch.onDecision(decision(transactionId, amountMinor(index)));
            batch.onProviderEvent(event(transactionId, reference(index), index % FEE_EVERY == 0
                    ? new Money(feeMinor(index), "KES") : null));
            if ((index + 1) % VIEW_BATCH == 0) {
                view.commit(batch);
                batch = view.newBatch();
            }
        }
        view.commit(batch);
    }

    private static long writeReport(int payments, Path file) throws IOException {
        long[] rows = {0};
        Iterable<ReportRow> report = () -> new Iterator<>() {
            // Payments are listed in a scrambled order (a multiplicative permutation), so the run's sort is real.
            private int position;
            private ReportRow fee;

            @Override
            public boolean hasNext() {
                return fee != null || position < payments;
            }

            @Override
            public ReportRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                rows[0]++;
                if (fee != null) {
                    ReportRow next = fee;
                    fee = null;
                    return next;
                }
                int index = (int) ((position++ * 7_919L) % payments);
                long amountMinor = amountMinor(index) + (index % DISAGREEMENT_EVERY == 1 ? 1 : 0);
                if (index % FEE_EVERY == 0) {
                    fee = row(index, ReportRow.RowType.FEE, feeMinor(index));
                }
                return row(index, ReportRow.RowType.PAYMENT, amountMinor);
            }
        };
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            new MobileMoneyHubReport().write(report, out);
        }
        return rows[0];
    }

    private static ReportRow row(int index, ReportRow.RowType type, long amountMinor) {
        return new ReportRow(HUB, DAY, 0, type, reference(index), transactionId(index), new Money(amountMinor, "KES"),
                ProviderStatus.SUCCEEDED, MORNING.plusSeconds(index % 50_000));
    }

    private static RiskDecision decision(String transactionId, long amountMinor) {
        return RiskDecision.newBuilder()
                .setTransactionId(transactionId).setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("merchant-bench").setAccountKind(AccountKind.WALLET).setAccountId("wallet-bench")
                .setAmount(new Money(amountMinor, "KES")).setProvider(HUB).setOutcome(Outcome.APPROVE)
                .setReasons(List.of()).setRequestedAt(MORNING).setDecidedAt(MORNING).build();
    }

    private static ProviderEvent event(String transactionId, String reference, Money fee) {
        return ProviderEvent.newBuilder()
                .setEventId("bench-" + transactionId).setProvider(HUB).setProviderEventId("bench-" + transactionId)
                .setTransactionId(transactionId).setProviderReference(reference).setStatus(ProviderStatus.SUCCEEDED)
                .setFee(fee).setSource(ProviderEventSource.WEBHOOK).setOccurredAt(MORNING.plusSeconds(60))
                .setReceivedAt(MORNING.plusSeconds(61)).setTransition(StatusTransition.APPLIED).build();
    }

    static String transactionId(int index) {
        return "txn-bench-" + index;
    }

    static String reference(int index) {
        return "MMH-" + DAY.toString().replace("-", "") + "-" + index;
    }

    static long amountMinor(int index) {
        return 1_000 + index % 97_000;
    }

    static long feeMinor(int index) {
        return 10 + index % 90;
    }

    /** CPU time of the whole process: on a shared machine wall-clock rates depend on the neighbours. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Samples the heap in use every 5 ms: the peak a person would see on a dashboard. */
    private static final class HeapSampler extends Thread {
        private volatile long peakBytes;

        HeapSampler() {
            super("heap-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            var memory = ManagementFactory.getMemoryMXBean();
            while (!isInterrupted()) {
                peakBytes = Math.max(peakBytes, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long peakBytes() {
            return peakBytes;
        }
    }
}
