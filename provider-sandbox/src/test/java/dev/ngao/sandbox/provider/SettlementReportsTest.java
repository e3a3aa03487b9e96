package dev.ngao.sandbox.provider;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.testing.MutableClock;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.report.ReportRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SettlementReportsTest {

    private static final LocalDate DAY = LocalDate.parse("2026-03-01");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InjectionLog log = new InjectionLog();

    /** A hub where every payment succeeds at once; ten payments of 100.00 + n KES. */
    private SimulatedProvider hubWithTenPayments() {
        SimulatedProvider hub = new SimulatedProvider(ProviderKind.MOBILE_MONEY_HUB, Misbehaviour.none(5), 100,
                Duration.ZERO, clock, log);
        for (int index = 0; index < 10; index++) {
            hub.submit("txn-" + index, new Money(10_000L + index * 100L, "KES"), null);
        }
        return hub;
    }

    private static List<ReportRow> roundTrip(SettlementReports.Report report) throws IOException {
        StringWriter out = new StringWriter();
        SettlementReports.write(report, out);
        List<ReportRow> rows = new ArrayList<>();
        try (Reader in = new StringReader(out.toString())) {
            SettlementReports.format(report.kind()).read(in).forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void shouldReportEverySettledPaymentAndItsFeeWhenWellBehaved() throws IOException {
        SimulatedProvider hub = hubWithTenPayments();

        SettlementReports.Report report = SettlementReports.build(hub, DAY, Misbehaviour.none(5), log);

        List<ReportRow> rows = roundTrip(report);
        assertThat(rows).hasSize(20);
        assertThat(rows).filteredOn(row -> row.type() == ReportRow.RowType.PAYMENT)
                .extracting(ReportRow::transactionId, row -> row.amount().getAmountMinor(), ReportRow::status)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 10).mapToObj(index ->
                        org.assertj.core.groups.Tuple.tuple("txn-" + index, 10_000L + index * 100L,
                                ProviderStatus.SUCCEEDED)).toList());
        // The hub's fee is 1 % of the amount, on its own row
        assertThat(rows.get(1).type()).isEqualTo(ReportRow.RowType.FEE);
        assertThat(rows.get(1).amount()).isEqualTo(new Money(100L, "KES"));
        assertThat(log.all()).isEmpty();
    }

    @Test
    void shouldInjectExactlyOneDisagreementOfEachKindWhenEachIsCertain() throws IOException {
        record Case(Misbehaviour misbehaviour, Injection.Kind kind, int paymentRows) {
        }
        Misbehaviour none = Misbehaviour.none(5);
        for (Case example : List.of(
                new Case(none.withReport(100, 0, 0, 0, 0, 0), Injection.Kind.REPORT_ROW_MISSING, 0),
                new Case(none.withReport(0, 100, 0, 0, 0, 0), Injection.Kind.REPORT_ROW_EXTRA, 20),
                new Case(none.withReport(0, 0, 100, 0, 0, 0), Injection.Kind.REPORT_ROW_DUPLICATED, 20),
                new Case(none.withReport(0, 0, 0, 100, 0, 0), Injection.Kind.REPORT_AMOUNT_CHANGED, 10),
                new Case(none.withReport(0, 0, 0, 0, 100, 0), Injection.Kind.REPORT_CURRENCY_CHANGED, 10),
                new Case(none.withReport(0, 0, 0, 0, 0, 100), Injection.Kind.REPORT_STATUS_CHANGED, 10))) {
            InjectionLog caseLog = new InjectionLog();
            List<ReportRow> rows = roundTrip(SettlementReports.build(hubWithTenPayments(), DAY, example.misbehaviour(),
                    caseLog));

            assertThat(caseLog.count(example.kind())).as(example.kind().name()).isEqualTo(10);
            assertThat(caseLog.all()).as(example.kind().name()).allMatch(injection -> injection.kind() == example.kind());
            assertThat(rows.stream().filter(row -> row.type() == ReportRow.RowType.PAYMENT).count())
                    .as(example.kind().name()).isEqualTo(example.paymentRows());
        }
    }

    @Test
    void shouldChangeOnlyWhatTheInjectionSaysWhenDisagreementsAreMixed() throws IOException {
        // Given about a third of each disagreement
        Misbehaviour misbehaviour = Misbehaviour.none(99).withReport(30, 30, 30, 30, 30, 30);
        SimulatedProvider hub = hubWithTenPayments();

        List<ReportRow> rows = roundTrip(SettlementReports.build(hub, DAY, misbehaviour, log));

        // Then each payment row differs from the provider's truth exactly where an injection says so
        for (int index = 0; index < 10; index++) {
            String id = "txn-" + index;
            List<Injection.Kind> kinds = log.all().stream().filter(injection -> injection.transactionId().equals(id))
                    .map(Injection::kind).toList();
            List<ReportRow> payments = rows.stream().filter(row -> id.equals(row.transactionId())
                    && row.type() == ReportRow.RowType.PAYMENT).toList();
            if (kinds.contains(Injection.Kind.REPORT_ROW_MISSING)) {
                assertThat(payments).as(id).isEmpty();
                continue;
            }
            assertThat(payments).as(id).hasSize(kinds.contains(Injection.Kind.REPORT_ROW_DUPLICATED) ? 2 : 1);
            SandboxPayment truth = hub.find(id).orElseThrow();
            ReportRow row = payments.get(0);
            assertThat(row.amount().getAmountMinor()).as(id).isEqualTo(truth.amount().getAmountMinor()
                    + (kinds.contains(Injection.Kind.REPORT_AMOUNT_CHANGED) ? 1 : 0));
            assertThat(row.amount().getCurrency().equals("KES")).as(id)
                    .isEqualTo(!kinds.contains(Injection.Kind.REPORT_CURRENCY_CHANGED));
            assertThat(row.status() == ProviderStatus.SUCCEEDED).as(id)
                    .isEqualTo(!kinds.contains(Injection.Kind.REPORT_STATUS_CHANGED));
        }
        assertThat(rows.stream().filter(row -> row.transactionId() != null
                && row.transactionId().startsWith("sandbox-extra-")).count())
                .isEqualTo(log.count(Injection.Kind.REPORT_ROW_EXTRA)).isPositive();
        // And the same seed injects the same again
        InjectionLog again = new InjectionLog();
        SettlementReports.build(hub, DAY, misbehaviour, again);
        assertThat(again.all()).isEqualTo(log.all());
    }

    @Test
    void shouldSettleACipPaidAt2330InLimaOnTheLimaDayWhenItIsAlreadyTheNextDayInUtc() throws IOException {
        // Given a CIP paid at 23:30 Lima on 1 March (04:30 UTC on 2 March)
        clock.set(Instant.parse("2026-03-02T04:30:00Z"));
        SimulatedProvider pagoEfectivo = new SimulatedProvider(ProviderKind.PAGOEFECTIVO, Misbehaviour.none(5), 100,
                Duration.ZERO, clock, log);
        pagoEfectivo.submit("txn-lima", new Money(5_000L, "PEN"), "2026030100001");

        // Then it is in the report of 1 March, not of 2 March, with its UTC instant
        List<ReportRow> march1 = roundTrip(SettlementReports.build(pagoEfectivo, DAY, Misbehaviour.none(5), log));
        assertThat(march1).first().satisfies(row -> {
            assertThat(row.providerReference()).isEqualTo("2026030100001");
            assertThat(row.settlementDay()).isEqualTo(DAY);
            assertThat(row.occurredAt()).isEqualTo(Instant.parse("2026-03-02T04:30:00Z"));
        });
        assertThat(SettlementReports.build(pagoEfectivo, DAY.plusDays(1), Misbehaviour.none(5), log).rows()).isEmpty();
    }

    @Test
    void shouldLeaveOutPaymentsThatDidNotSettleWhenBuildingTheReport() {
        // Given payments that all fail, and one pending until queried
        SimulatedProvider card = new SimulatedProvider(ProviderKind.CARD_NETWORK, Misbehaviour.none(5), 0,
                Duration.ZERO, clock, log);
        card.submit("txn-declined", new Money(700L, "USD"), null);

        assertThat(SettlementReports.build(card, DAY, Misbehaviour.none(5), log).rows()).isEmpty();
    }

    @Test
    void shouldWriteTheReportFileNamedByProviderAndDay(@TempDir Path directory) throws IOException {
        Path file = SettlementReports.writeFile(SettlementReports.build(hubWithTenPayments(), DAY, Misbehaviour.none(5),
                log), directory);

        assertThat(file.getFileName().toString()).isEqualTo("mobile-money-hub-2026-03-01.csv");
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(21)
                .first().isEqualTo("settlement_date,record_type,hub_reference,transaction_id,amount,currency,status,"
                        + "completed_at");
    }
}
