package dev.ngao.providers.report;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.report.ReportRow.RowType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettlementReportFormatTest {

    private static List<ReportRow> readAll(SettlementReportFormat format, Reader reader) throws IOException {
        List<ReportRow> rows = new ArrayList<>();
        format.read(reader).forEachRemaining(rows::add);
        return rows;
    }

    private static List<ReportRow> sample(SettlementReportFormat format, String name) throws IOException {
        try (Reader reader = new InputStreamReader(Objects.requireNonNull(
                SettlementReportFormatTest.class.getResourceAsStream("/reports/" + name)), StandardCharsets.UTF_8)) {
            return readAll(format, reader);
        }
    }

    private static String text(String resource) throws IOException {
        try (var in = Objects.requireNonNull(SettlementReportFormatTest.class.getResourceAsStream("/reports/" + resource))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String write(SettlementReportFormat format, List<ReportRow> rows) throws IOException {
        StringWriter out = new StringWriter();
        format.write(rows, out);
        return out.toString();
    }

    @Test
    void shouldReadFeesOnTheirOwnRowsWhenReadingTheMobileMoneySample() throws IOException {
        List<ReportRow> rows = sample(new MobileMoneyHubReport(), "mobile-money-hub-2026-03-01.csv");

        LocalDate day = LocalDate.parse("2026-03-01");
        assertThat(rows).containsExactly(
                new ReportRow("mobile-money-hub", day, 2, RowType.PAYMENT, "MMH-20260301-0001", "txn-0001",
                        new Money(150_050L, "KES"), ProviderStatus.SUCCEEDED, Instant.parse("2026-03-01T10:15:30Z")),
                new ReportRow("mobile-money-hub", day, 3, RowType.FEE, "MMH-20260301-0001", "txn-0001",
                        new Money(1_500L, "KES"), ProviderStatus.SUCCEEDED, Instant.parse("2026-03-01T10:15:30Z")),
                new ReportRow("mobile-money-hub", day, 4, RowType.PAYMENT, "MMH-20260301-0002", "txn-0002",
                        new Money(25_000L, "KES"), ProviderStatus.REVERSED, Instant.parse("2026-03-01T23:59:59Z")),
                new ReportRow("mobile-money-hub", day, 5, RowType.FEE, "MMH-20260301-0002", null,
                        new Money(250L, "KES"), ProviderStatus.REVERSED, Instant.parse("2026-03-01T23:59:59Z")));
    }

    @Test
    void shouldConvertLimaTimesToUtcAndKeepTheLimaSettlementDayWhenReadingThePagoEfectivoSample() throws IOException {
        List<ReportRow> rows = sample(new PagoEfectivoReport(), "pagoefectivo-2026-03-01.csv");

        // 23:30 in Lima (UTC-5) is 04:30 UTC the next day; the CIP still settles on the Lima day
        ReportRow late = rows.stream().filter(row -> row.transactionId().equals("txn-1002")).findFirst().orElseThrow();
        assertThat(late.occurredAt()).isEqualTo(Instant.parse("2026-03-02T04:30:00Z"));
        assertThat(late.settlementDay()).isEqualTo(LocalDate.parse("2026-03-01"));
        // And the commission of a line is a fee row of its own, on the same line
        assertThat(rows).extracting(ReportRow::lineNumber, ReportRow::type, ReportRow::amount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, RowType.PAYMENT, new Money(5_000L, "PEN")),
                        org.assertj.core.groups.Tuple.tuple(2L, RowType.FEE, new Money(150L, "PEN")),
                        org.assertj.core.groups.Tuple.tuple(3L, RowType.PAYMENT, new Money(12_000L, "PEN")),
                        org.assertj.core.groups.Tuple.tuple(4L, RowType.PAYMENT, new Money(7_510L, "PEN")),
                        org.assertj.core.groups.Tuple.tuple(4L, RowType.FEE, new Money(225L, "PEN")));
        assertThat(rows.get(3).status()).isEqualTo(ProviderStatus.REVERSED);
        assertThat(rows.get(0).occurredAt()).isEqualTo(Instant.parse("2026-03-01T14:05:00Z"));
    }

    @Test
    void shouldKeepTheNetworksSettlementDayWhenACaptureIsLateInTheDay() throws IOException {
        List<ReportRow> rows = sample(new CardNetworkReport(), "card-network-2026-03-02.csv");

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(new ReportRow("card-network", LocalDate.parse("2026-03-02"), 2,
                RowType.PAYMENT, "A1B2C3", "txn-2001", new Money(1_234L, "USD"), ProviderStatus.SUCCEEDED,
                Instant.parse("2026-03-01T23:59:10Z")));
        assertThat(rows.get(1).type()).isEqualTo(RowType.FEE);
        assertThat(rows.get(1).amount()).isEqualTo(new Money(19L, "USD"));
        assertThat(rows.get(2).status()).isEqualTo(ProviderStatus.REVERSED);
    }

    @Test
    void shouldWriteEachSampleBackByteForByteWhenRoundTripping() throws IOException {
        for (var entry : List.of(
                new Object[]{new MobileMoneyHubReport(), "mobile-money-hub-2026-03-01.csv"},
                new Object[]{new PagoEfectivoReport(), "pagoefectivo-2026-03-01.csv"},
                new Object[]{new CardNetworkReport(), "card-network-2026-03-02.csv"})) {
            SettlementReportFormat format = (SettlementReportFormat) entry[0];
            String name = (String) entry[1];

            String written = write(format, sample(format, name));

            assertThat(written).as(name).isEqualTo(text(name));
            assertThat(readAll(format, new StringReader(written))).as(name).isEqualTo(sample(format, name));
        }
    }

    @Test
    void shouldWriteLimaLocalTimeWhenTheInstantIsPastUtcMidnight() throws IOException {
        ReportRow row = new ReportRow(ProviderKind.PAGOEFECTIVO.id(), LocalDate.parse("2026-03-01"), 1, RowType.PAYMENT,
                "2026030100009", "txn-9", new Money(1_000L, "PEN"), ProviderStatus.SUCCEEDED,
                Instant.parse("2026-03-02T04:30:00Z"));

        assertThat(write(new PagoEfectivoReport(), List.of(row)))
                .endsWith("2026030100009,txn-9,10.00,PEN,,PAGADO,2026-03-01 23:30:00\n");
        ReportRow wrongDay = new ReportRow(row.provider(), LocalDate.parse("2026-03-02"), 1, RowType.PAYMENT,
                row.providerReference(), row.transactionId(), row.amount(), row.status(), row.occurredAt());
        assertThatThrownBy(() -> write(new PagoEfectivoReport(), List.of(wrongDay)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Lima day");
    }

    @Test
    void shouldStreamRowsOneLineAtATimeWhenTheReportIsLarge() throws IOException {
        // Given a report generated on the fly, never held whole in memory
        int lines = 50_000;
        Reader generated = new Reader() {
            private final StringBuilder buffer = new StringBuilder(String.join(",", MobileMoneyHubReport.HEADER) + "\n");
            private int written;

            @Override
            public int read(char[] target, int offset, int length) {
                while (buffer.length() < length && written < lines) {
                    written++;
                    buffer.append("2026-03-01,PAYMENT,MMH-").append(written).append(",txn-").append(written)
                            .append(",10.00,KES,SUCCESSFUL,2026-03-01T10:15:30Z\n");
                }
                if (buffer.isEmpty()) {
                    return -1;
                }
                int count = Math.min(length, buffer.length());
                buffer.getChars(0, count, target, offset);
                buffer.delete(0, count);
                return count;
            }

            @Override
            public void close() {
            }
        };

        // When it is read row by row
        Iterator<ReportRow> rows = new MobileMoneyHubReport().read(generated);
        long count = 0;
        long sumMinor = 0;
        ReportRow last = null;
        while (rows.hasNext()) {
            last = rows.next();
            count++;
            sumMinor += last.amount().getAmountMinor();
        }

        // Then every row came through, numbered by its line
        assertThat(count).isEqualTo(lines);
        assertThat(sumMinor).isEqualTo(lines * 1_000L);
        assertThat(last.lineNumber()).isEqualTo(lines + 1L);
    }

    @Test
    void shouldNameTheLineAndColumnWhenALineIsMalformed() {
        String header = String.join(",", MobileMoneyHubReport.HEADER) + "\n";
        String good = "2026-03-01,PAYMENT,MMH-1,txn-1,10.00,KES,SUCCESSFUL,2026-03-01T10:15:30Z\n";
        assertMalformed(new MobileMoneyHubReport(), header + good + "2026-03-01,PAYMENT,MMH-2,txn-2,10.005,KES,SUCCESSFUL,"
                + "2026-03-01T10:15:30Z\n", 3, "column amount", "more decimal places than KES allows");
        assertMalformed(new MobileMoneyHubReport(), header + "2026-03-01,PAYMENT,MMH-2,txn-2,10.00,KES\n", 2,
                "expected 8 columns, found 6");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("SUCCESSFUL", "PAID"), 2, "column status");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("10:15:30Z", "10:15:30"), 2,
                "column completed_at", "UTC");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("PAYMENT", "REFUND"), 2, "column record_type");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("T10:15:30Z", "T10:15:30Z").replace(
                "2026-03-01T", "2026-02-30T"), 2, "column completed_at");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("2026-03-01T", "2026-13-01T"), 2,
                "column completed_at");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("2026-03-01,", "2026-02-30,"), 2,
                "column settlement_date");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("KES", "KSH"), 2, "column currency");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("10.00", "-10.00"), 2, "column amount");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("10.00", "1.0E3"), 2, "column amount");
        assertMalformed(new MobileMoneyHubReport(), header + good.replace("txn-1", "txn 1"), 2, "column transaction_id");
        assertMalformed(new MobileMoneyHubReport(), "hub_reference,amount\n" + good, 1, "header must be");
        assertMalformed(new MobileMoneyHubReport(), "", 1, "header is missing");
        assertMalformed(new PagoEfectivoReport(), String.join(",", PagoEfectivoReport.HEADER) + "\n"
                + "2026030100001,txn-1,50.00,PEN,,PAGADO,2026-03-01T09:05:00\n", 2, "column fecha_pago");
        assertMalformed(new PagoEfectivoReport(), String.join(",", PagoEfectivoReport.HEADER) + "\n"
                + "2026030100001,txn-1,50.00,PEN,0.001,PAGADO,2026-03-01 09:05:00\n", 2, "column comision");
        assertMalformed(new CardNetworkReport(), String.join(",", CardNetworkReport.HEADER) + "\n"
                + "2026-03-32,A1,txn-1,CAPTURED,1.00,USD,,2026-03-01T10:00:00Z\n", 2, "column settlement_date");
        assertMalformed(new CardNetworkReport(), String.join(",", CardNetworkReport.HEADER) + "\n"
                + "2026-03-02,A1,txn-1,CAPTURED,\"1.00,USD,,2026-03-01T10:00:00Z\n", 2, "not well-formed CSV");
    }

    @Test
    void shouldReadFractionalSecondsWhenTheHubSendsThem() throws IOException {
        String report = String.join(",", MobileMoneyHubReport.HEADER) + "\n"
                + "2026-03-01,PAYMENT,MMH-1,txn-1,10.00,KES,SUCCESSFUL,2026-03-01T10:15:30.250Z\n";

        assertThat(readAll(new MobileMoneyHubReport(), new StringReader(report))).singleElement()
                .extracting(ReportRow::occurredAt).isEqualTo(Instant.parse("2026-03-01T10:15:30.250Z"));
    }

    @Test
    void shouldNotEchoTheOffendingValueWhenAReferenceIsRefused() {
        String header = String.join(",", MobileMoneyHubReport.HEADER) + "\n";

        assertThatThrownBy(() -> readAll(new MobileMoneyHubReport(), new StringReader(header
                + "2026-03-01,PAYMENT,MMH-1,+254712345678 x,10.00,KES,SUCCESSFUL,2026-03-01T10:15:30Z\n")))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageNotContaining("254712345678");
    }

    @Test
    void shouldRefuseAFeeThatDoesNotFollowItsPaymentWhenWritingAnInlineFeeFormat() {
        ReportRow fee = new ReportRow("card-network", LocalDate.parse("2026-03-02"), 1, RowType.FEE, "A1", "txn-1",
                new Money(19L, "USD"), ProviderStatus.SUCCEEDED, Instant.parse("2026-03-01T23:59:10Z"));

        assertThatThrownBy(() -> write(new CardNetworkReport(), List.of(fee)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no payment before it");
    }

    private static void assertMalformed(SettlementReportFormat format, String report, long line, String... messageParts) {
        assertThatThrownBy(() -> readAll(format, new StringReader(report)))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageContainingAll(messageParts)
                .satisfies(failure -> assertThat(((ReportFormatException) failure).lineNumber()).isEqualTo(line));
    }
}
