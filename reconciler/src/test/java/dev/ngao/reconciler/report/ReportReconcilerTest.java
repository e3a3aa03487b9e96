package dev.ngao.reconciler.report;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.BreakKind;
import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.providers.report.PagoEfectivoReport;
import dev.ngao.providers.report.ReportFormatException;
import dev.ngao.providers.report.ReportRow;
import dev.ngao.reconciler.view.PostedPaymentsView;
import dev.ngao.reconciler.view.ViewBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.ngao.reconciler.ProviderFixtures.approval;
import static dev.ngao.reconciler.ProviderFixtures.event;
import static dev.ngao.reconciler.ProviderFixtures.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportReconcilerTest {

    private static final String HUB = "mobile-money-hub";
    private static final String PAGOEFECTIVO = "pagoefectivo";
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final Instant MORNING = Instant.parse("2026-11-20T09:00:00Z");
    private static final Instant RUN_AT = Instant.parse("2026-11-21T02:00:00.123456Z");
    private static final String FILE_SHA256 = "ab".repeat(32);
    private static final RunOrigin UPLOAD = RunOrigin.upload("ops-uploader", FILE_SHA256);

    @TempDir
    Path directory;

    private PostedPaymentsView view;
    private final List<ReconciliationBreak> sent = new ArrayList<>();
    private final List<AuditRecord> audited = new ArrayList<>();

    @BeforeEach
    void openView() {
        view = PostedPaymentsView.open(directory.resolve("view"));
    }

    @AfterEach
    void closeView() {
        view.close();
    }

    @Test
    void shouldDetectEveryBreakTypeWhenTheReportHasInjectedDisagreements() throws IOException {
        // Given a ledger with eight settled payments and a report that agrees on one and disagrees on the others
        settled("t1", "R1", 10_000, "KES", money(150, "KES"));
        settled("t2", "R2", 5_000, "KES", null);
        settled("t3", "R3", 2_000, "KES", null);
        settled("t4", "R4", 3_000, "KES", null);
        settled("t5", "R5", 4_000, "KES", null);
        settled("t6", "R6", 6_000, "KES", null);
        settled("t8", "R8", 8_000, "KES", money(100, "KES"));
        String report = report(
                row("PAYMENT", "R1", "t1", 10_000, "KES", ProviderStatus.SUCCEEDED),
                row("FEE", "R1", "t1", 100, "KES", ProviderStatus.SUCCEEDED),
                row("FEE", "R1", "t1", 50, "KES", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R2", "t2", 5_001, "KES", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R3", "t3", 2_000, "UGX", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R4", "t4", 3_000, "KES", ProviderStatus.FAILED),
                row("PAYMENT", "R5", "t5", 4_000, "KES", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R5", "t5", 4_000, "KES", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R7", "t7", 7_000, "KES", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R8", "t8", 8_000, "KES", ProviderStatus.SUCCEEDED),
                row("FEE", "R8", "t8", 120, "KES", ProviderStatus.SUCCEEDED));

        // When the day is reconciled
        RunSummary summary = reconcile(0, HUB, DAY, report);

        // Then each disagreement is one break of its type, and the agreeing payment is matched
        assertThat(kindsByReference()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "R2", List.of(BreakKind.AMOUNT_MISMATCH),
                "R3", List.of(BreakKind.CURRENCY_MISMATCH),
                "R4", List.of(BreakKind.STATUS_MISMATCH),
                "R5", List.of(BreakKind.DUPLICATE),
                "R6", List.of(BreakKind.MISSING_AT_PROVIDER),
                "R7", List.of(BreakKind.MISSING_IN_LEDGER),
                "R8", List.of(BreakKind.AMOUNT_MISMATCH)));
        assertThat(summary.matched()).isEqualTo(1);
        assertThat(summary.newBreaks()).isEqualTo(7);
        assertThat(breakOf("R8").getBreakId()).isEqualTo("AMOUNT_MISMATCH:fee:mobile-money-hub:2026-11-20:R8");
        assertThat(breakOf("R8").getExpected()).isEqualTo(money(100, "KES"));
        assertThat(breakOf("R8").getActual()).isEqualTo(money(120, "KES"));
        assertThat(breakOf("R2").getBreakId()).isEqualTo("AMOUNT_MISMATCH:mobile-money-hub:2026-11-20:R2");
        assertThat(breakOf("R2").getTransactionId()).isEqualTo("t2");
        assertThat(breakOf("R7").getTransactionId()).isEqualTo("t7");
        assertThat(breakOf("R2").getRunId()).isEqualTo("recon:mobile-money-hub:2026-11-20");
        assertThat(breakOf("R2").getSettlementDay()).isEqualTo("2026-11-20");
        assertThat(breakOf("R2").getDetectedAt()).isEqualTo(Instant.parse("2026-11-21T02:00:00.123Z"));
        // And the reports list them
        List<String> csv = Files.readAllLines(summary.csvReport());
        assertThat(csv).hasSize(8).first().isEqualTo(BreakReportWriter.CSV_HEADER);
        assertThat(Files.readString(summary.htmlReport())).contains("7 break(s) found", "DUPLICATE", "R5");
    }

    @Test
    void shouldReportNothingAndSaySoWhenTheDayIsClean() throws IOException {
        // Given a ledger whose payments all appear in the report, fees included
        settled("t1", "R1", 10_000, "KES", money(150, "KES"));
        settled("t2", "R2", 2_500, "KES", null);
        String report = report(
                row("PAYMENT", "R1", "t1", 10_000, "KES", ProviderStatus.SUCCEEDED),
                row("FEE", "R1", "t1", 150, "KES", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R2", "t2", 2_500, "KES", ProviderStatus.SUCCEEDED));

        // When reconciled
        RunSummary summary = reconcile(0, HUB, DAY, report);

        // Then no break is emitted or written, and the HTML says the day is clean
        assertThat(sent).isEmpty();
        assertThat(summary.clean()).isTrue();
        assertThat(summary.matched()).isEqualTo(2);
        assertThat(Files.readAllLines(summary.csvReport())).containsExactly(BreakReportWriter.CSV_HEADER);
        assertThat(Files.readString(summary.htmlReport())).contains("Clean day").doesNotContain("<tr><td>DUPLICATE");
    }

    @Test
    void shouldEmitNothingNewAndWriteIdenticalReportsWhenTheDayRunsAgain() throws IOException {
        // Given a day with two breaks, reconciled once
        settled("t2", "R2", 5_000, "KES", null);
        settled("t6", "R6", 6_000, "KES", null);
        String report = report(row("PAYMENT", "R2", "t2", 4_000, "KES", ProviderStatus.SUCCEEDED));
        RunSummary first = reconcile(0, HUB, DAY, report);
        byte[] csv = Files.readAllBytes(first.csvReport());
        byte[] html = Files.readAllBytes(first.htmlReport());

        // When the same day runs again, later
        RunSummary again = new ReportReconciler(view, sent::addAll, audited::addAll,
                Clock.fixed(RUN_AT.plusSeconds(3_600), ZoneOffset.UTC), 0, directory.resolve("reports"))
                .reconcile(new RunId(HUB, DAY), UPLOAD, new TestReportFormat(HUB), new StringReader(report));

        // Then nothing new is emitted, the same breaks are found, and the reports are byte for byte the same
        assertThat(first.newBreaks()).isEqualTo(2);
        assertThat(again.newBreaks()).isZero();
        assertThat(again.totalBreaks()).isEqualTo(2);
        assertThat(sent).hasSize(2);
        assertThat(Files.readAllBytes(again.csvReport())).isEqualTo(csv);
        assertThat(Files.readAllBytes(again.htmlReport())).isEqualTo(html);
    }

    @Test
    void shouldMatchWithinTheToleranceWhenOneIsConfigured() throws IOException {
        // Given a report 1 minor unit above the ledger on one payment and 3 above on another
        settled("t1", "R1", 5_000, "KES", null);
        settled("t2", "R2", 5_000, "KES", null);
        String report = report(row("PAYMENT", "R1", "t1", 5_001, "KES", ProviderStatus.SUCCEEDED),
                row("PAYMENT", "R2", "t2", 5_003, "KES", ProviderStatus.SUCCEEDED));

        // When reconciled with a tolerance of 2 minor units
        reconcile(2, HUB, DAY, report);

        // Then only the difference beyond it is a break
        assertThat(kindsByReference()).containsExactlyEntriesOf(Map.of("R2", List.of(BreakKind.AMOUNT_MISMATCH)));
    }

    @Test
    void shouldBreakOnAOneUnitDifferenceWhenNoToleranceIsConfigured() throws IOException {
        // Given a report 1 minor unit above the ledger
        settled("t1", "R1", 5_000, "KES", null);

        // When reconciled with the default tolerance of zero
        reconcile(0, HUB, DAY, report(row("PAYMENT", "R1", "t1", 5_001, "KES", ProviderStatus.SUCCEEDED)));

        // Then it is a break
        assertThat(kindsByReference()).containsExactlyEntriesOf(Map.of("R1", List.of(BreakKind.AMOUNT_MISMATCH)));
    }

    @Test
    void shouldPutAPagoEfectivoPaymentAt2330LimaOnThatLimaDayWhenItIsTheNextUtcDay() throws IOException {
        // Given a CIP paid at 23:30 in Lima on 20 November, which is 04:30 UTC on 21 November
        Instant paidAt = Instant.parse("2026-11-21T04:30:00Z");
        settledAt("cip-1", PAGOEFECTIVO, "CIP-1", 5_000, "PEN", paidAt);
        String report = report(TestReportFormat.line("PAYMENT", "CIP-1", "cip-1", 5_000, "PEN",
                ProviderStatus.SUCCEEDED, paidAt));

        // When the Lima day 20 November is reconciled, and then the Lima day 21 November with an empty report
        RunSummary limaDay = reconcile(0, PAGOEFECTIVO, DAY, report);
        RunSummary nextDay = reconcile(0, PAGOEFECTIVO, DAY.plusDays(1), report());

        // Then it matches on the 20th and is not missing on the 21st
        assertThat(limaDay.matched()).isEqualTo(1);
        assertThat(limaDay.clean()).isTrue();
        assertThat(nextDay.ledgerPayments()).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldMatchTheLimaDayWhenReadFromThePagoEfectivoReportFormat() throws IOException {
        // Given a CIP paid at 23:30 in Lima on 20 November (04:30 UTC on the 21st), with its commission, and the
        // PagoEfectivo report of that Lima day as the provider writes it (local times, commission inline)
        Instant paidAt = Instant.parse("2026-11-21T04:30:00Z");
        settledAt("cip-1", PAGOEFECTIVO, "2026112000001", 5_000, "PEN", paidAt, money(150, "PEN"));
        java.io.StringWriter written = new java.io.StringWriter();
        new PagoEfectivoReport().write(List.of(
                new ReportRow(PAGOEFECTIVO, DAY, 1, ReportRow.RowType.PAYMENT, "2026112000001", "cip-1",
                        money(5_000, "PEN"), ProviderStatus.SUCCEEDED, paidAt),
                new ReportRow(PAGOEFECTIVO, DAY, 1, ReportRow.RowType.FEE, "2026112000001", "cip-1",
                        money(150, "PEN"), ProviderStatus.SUCCEEDED, paidAt)), written);

        // When the Lima day is reconciled from it
        RunSummary summary = new ReportReconciler(view, sent::addAll, audited::addAll,
                Clock.fixed(RUN_AT, ZoneOffset.UTC), 0, directory.resolve("reports")).reconcile(
                new RunId(PAGOEFECTIVO, DAY), UPLOAD, new PagoEfectivoReport(), new StringReader(written.toString()));

        // Then the report's local time is on that day, and the payment and its commission match
        assertThat(written.toString()).contains("2026-11-20 23:30:00");
        assertThat(summary.matched()).isEqualTo(1);
        assertThat(summary.feeRows()).isEqualTo(1);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldSayWhichDayTheLedgerHasAReferenceOnWhenTheReportListsItOnAnother() throws IOException {
        // Given a payment the provider settled on the 19th, listed again in the report of the 20th
        settledAt("t1", HUB, "R1", 1_000, "KES", Instant.parse("2026-11-19T15:00:00Z"));

        // When the 20th is reconciled
        reconcile(0, HUB, DAY, report(row("PAYMENT", "R1", "t1", 1_000, "KES", ProviderStatus.SUCCEEDED)));

        // Then it is missing in the ledger that day, and the detail points at the day the ledger has it
        assertThat(breakOf("R1").getKind()).isEqualTo(BreakKind.MISSING_IN_LEDGER);
        assertThat(breakOf("R1").getDetail()).contains("the ledger has this reference on 2026-11-19");
    }

    @Test
    void shouldReportAStatusMismatchNotAMissingPaymentWhenTheProvidersWebhookNeverArrived() throws IOException {
        // Given an approval of the day the provider never told us about (its webhook was dropped)
        ViewBatch batch = view.newBatch();
        batch.onDecision(approval("t1", HUB, 1_000, "KES", MORNING));
        view.commit(batch);

        // When the report lists it, under the provider's reference and our transaction id, as succeeded
        RunSummary summary = reconcile(0, HUB, DAY,
                report(row("PAYMENT", "R1", "t1", 1_000, "KES", ProviderStatus.SUCCEEDED)));

        // Then the one break is the status the ledger never heard
        assertThat(kindsByReference()).containsExactlyEntriesOf(Map.of("R1", List.of(BreakKind.STATUS_MISMATCH)));
        assertThat(breakOf("R1").getTransactionId()).isEqualTo("t1");
        assertThat(summary.totalBreaks()).isEqualTo(1);
    }

    @Test
    void shouldReportOnlyTheMissingPaymentWhenItsFeeIsMissingToo() throws IOException {
        // Given a settled payment with a fee, and a report with fee rows for others but nothing for it
        settled("t1", "R1", 10_000, "KES", money(150, "KES"));
        settled("t2", "R2", 2_000, "KES", money(20, "KES"));
        String report = report(row("PAYMENT", "R2", "t2", 2_000, "KES", ProviderStatus.SUCCEEDED),
                row("FEE", "R2", "t2", 20, "KES", ProviderStatus.SUCCEEDED));

        // When reconciled, then the payment is missing at the provider, once
        reconcile(0, HUB, DAY, report);
        assertThat(kindsByReference()).containsExactlyEntriesOf(Map.of("R1", List.of(BreakKind.MISSING_AT_PROVIDER)));
    }

    @Test
    void shouldRefuseTheReportWhenARowIsOfAnotherSettlementDay() {
        // Given a report of the 20th holding a row the provider's zone puts on the 21st
        String report = report(TestReportFormat.line("PAYMENT", "R1", "t1", 100, "KES", ProviderStatus.SUCCEEDED,
                Instant.parse("2026-11-21T00:10:00Z")));

        // When reconciled, then the run fails naming the line, and emits nothing
        assertThatThrownBy(() -> reconcile(0, HUB, DAY, report))
                .isInstanceOf(ReportFormatException.class).hasMessageContaining("line 2");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldAuditARunWithWhoRanWhichProvidersDayFromWhichFileAndItsCounts() throws IOException {
        // Given a ledger with two settled payments and a report that agrees on one and misses the other
        settled("t1", "R1", 10_000, "KES", null);
        settled("t2", "R2", 5_000, "KES", null);
        String report = report(row("PAYMENT", "R1", "t1", 10_000, "KES", ProviderStatus.SUCCEEDED));

        // When an operator's upload of it is reconciled
        reconcile(0, HUB, DAY, report);

        // Then one audit record of the run names the caller, the provider's day, the file and the counts
        AuditRecord run = audited.stream().filter(record -> record.getAction().equals("report.run"))
                .findFirst().orElseThrow();
        assertThat(audited).containsOnly(run);
        assertThat(run.getAuditId()).isEqualTo("report-run:recon:mobile-money-hub:2026-11-20:" + FILE_SHA256
                + ":ops-uploader:SUCCESS");
        assertThat(run.getComponent()).isEqualTo("reconciler");
        assertThat(run.getActor()).isEqualTo("ops-uploader");
        assertThat(run.getSubjectType()).isEqualTo("report-run");
        assertThat(run.getSubjectId()).isEqualTo("recon:mobile-money-hub:2026-11-20");
        assertThat(run.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(run.getOccurredAt()).isEqualTo(Instant.parse("2026-11-21T02:00:00.123Z"));
        assertThat(run.getDetails()).containsEntry("provider", HUB)
                .containsEntry("settlementDay", "2026-11-20")
                .containsEntry("source", "upload")
                .containsEntry("fileSha256", FILE_SHA256)
                .containsEntry("rows", "1")
                .containsEntry("matched", "1")
                .containsEntry("breaks", "1")
                .containsEntry("newBreaks", "1")
                .containsEntry("breaks.MISSING_AT_PROVIDER", "1")
                .containsEntry("clean", "false");
        // And the break itself went to the break sink, which audits it beside it
        assertThat(sent).extracting(ReconciliationBreak::getBreakId)
                .containsExactly("MISSING_AT_PROVIDER:mobile-money-hub:2026-11-20:R2");

        // When the same caller runs the same file again
        reconcile(0, HUB, DAY, report);

        // Then its record has the same id: a reader takes it for the same event
        assertThat(audited).hasSize(2);
        assertThat(audited.get(1).getAuditId()).isEqualTo(run.getAuditId());
        assertThat(audited.get(1).getDetails()).containsEntry("newBreaks", "0");
    }

    @Test
    void shouldAuditARefusedReportWithItsProblemAndEmitNothingElse() {
        // Given a report of the 20th holding a row of the 21st
        String report = report(TestReportFormat.line("PAYMENT", "R1", "t1", 100, "KES", ProviderStatus.SUCCEEDED,
                Instant.parse("2026-11-21T00:10:00Z")));

        // When reconciled
        assertThatThrownBy(() -> reconcile(0, HUB, DAY, report)).isInstanceOf(ReportFormatException.class);

        // Then the run is audited as refused, naming the line, and no break is sent
        assertThat(sent).isEmpty();
        assertThat(audited).singleElement().satisfies(run -> {
            assertThat(run.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(run.getAuditId()).endsWith(":ops-uploader:REFUSED");
            assertThat(run.getDetails()).containsEntry("runId", "recon:mobile-money-hub:2026-11-20")
                    .containsEntry("fileSha256", FILE_SHA256)
                    .hasEntrySatisfying("problem", problem -> assertThat(problem).contains("line 2"))
                    .doesNotContainKey("matched");
        });
    }

    @Test
    void shouldFailTheRunWhenItsAuditRecordIsNotAcknowledged() {
        // Given an audit sink Kafka does not acknowledge
        settled("t1", "R1", 1_000, "KES", null);
        ReportReconciler reconciler = new ReportReconciler(view, sent::addAll, records -> {
            throw new IllegalStateException("an audit record was not acknowledged");
        }, Clock.fixed(RUN_AT, ZoneOffset.UTC), 0, directory.resolve("reports"));

        // When a run completes, then it fails instead of answering without its audit record
        assertThatThrownBy(() -> reconciler.reconcile(new RunId(HUB, DAY), UPLOAD, new TestReportFormat(HUB),
                new StringReader(report(row("PAYMENT", "R1", "t1", 1_000, "KES", ProviderStatus.SUCCEEDED)))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audit");
    }

    @Test
    void shouldEscapeProviderDataWhenWritingTheReports() throws IOException {
        // Given a report row whose reference is markup and a spreadsheet formula
        String reference = "=<script>x</script>";
        String report = report(row("PAYMENT", reference, "", 100, "KES", ProviderStatus.SUCCEEDED));

        // When reconciled (the ledger has no such payment)
        RunSummary summary = reconcile(0, HUB, DAY, report);

        // Then neither report carries it raw
        assertThat(Files.readString(summary.htmlReport())).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(Files.readString(summary.csvReport())).contains(",'=<script>x</script>,");
    }

    private RunSummary reconcile(long toleranceMinor, String provider, LocalDate day, String report)
            throws IOException {
        return new ReportReconciler(view, sent::addAll, audited::addAll, Clock.fixed(RUN_AT, ZoneOffset.UTC),
                toleranceMinor, directory.resolve("reports"))
                .reconcile(new RunId(provider, day), UPLOAD, new TestReportFormat(provider), new StringReader(report));
    }

    private void settled(String transactionId, String reference, long amountMinor, String currency, Money fee) {
        ViewBatch batch = view.newBatch();
        batch.onDecision(approval(transactionId, HUB, amountMinor, currency, MORNING));
        batch.onProviderEvent(event(transactionId, HUB, reference, ProviderStatus.SUCCEEDED, MORNING.plusSeconds(60),
                fee));
        view.commit(batch);
    }

    private void settledAt(String transactionId, String provider, String reference, long amountMinor,
                           String currency, Instant at) {
        settledAt(transactionId, provider, reference, amountMinor, currency, at, null);
    }

    private void settledAt(String transactionId, String provider, String reference, long amountMinor,
                           String currency, Instant at, Money fee) {
        ViewBatch batch = view.newBatch();
        batch.onDecision(approval(transactionId, provider, amountMinor, currency, at.minusSeconds(600)));
        batch.onProviderEvent(event(transactionId, provider, reference, ProviderStatus.SUCCEEDED, at, fee));
        view.commit(batch);
    }

    private static String row(String type, String reference, String transactionId, long amountMinor, String currency,
                              ProviderStatus status) {
        return TestReportFormat.line(type, reference, transactionId, amountMinor, currency, status,
                MORNING.plusSeconds(120));
    }

    private static String report(String... lines) {
        StringBuilder text = new StringBuilder(TestReportFormat.HEADER).append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    private Map<String, List<BreakKind>> kindsByReference() {
        return sent.stream().collect(Collectors.groupingBy(ReconciliationBreak::getProviderReference,
                Collectors.mapping(ReconciliationBreak::getKind, Collectors.toList())));
    }

    private ReconciliationBreak breakOf(String reference) {
        return sent.stream().filter(found -> found.getProviderReference().equals(reference)).findFirst().orElseThrow();
    }
}
