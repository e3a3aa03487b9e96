package dev.ngao.reconciler.report;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.report.ReportFormatException;
import dev.ngao.providers.report.ReportRow;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.reconciler.view.ViewPayment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A hand-written report format for tests: {@code type,reference,transactionId,amountMinor,currency,status,occurredAt}
 * after a header line; the settlement day is the occurrence's date in the provider's zone, as the real formats do.
 */
public final class TestReportFormat implements SettlementReportFormat {

    public static final String HEADER = "type,reference,transaction_id,amount_minor,currency,status,occurred_at";

    private final String provider;

    public TestReportFormat(String provider) {
        this.provider = provider;
    }

    public static String line(String type, String reference, String transactionId, long amountMinor, String currency,
                       ProviderStatus status, Instant occurredAt) {
        return String.join(",", type, reference, transactionId, Long.toString(amountMinor), currency, status.name(),
                occurredAt.toString());
    }

    @Override
    public Iterator<ReportRow> read(Reader report) throws IOException {
        BufferedReader lines = new BufferedReader(report);
        lines.readLine();
        return new Iterator<>() {
            private long lineNumber = 1;
            private String next = advance();

            private String advance() {
                try {
                    lineNumber++;
                    return lines.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public ReportRow next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                String[] cells = next.split(",", -1);
                if (cells.length != 7) {
                    throw new ReportFormatException(lineNumber, "expected 7 columns");
                }
                Instant occurredAt = Instant.parse(cells[6]);
                ReportRow row = new ReportRow(provider,
                        occurredAt.atZone(ViewPayment.zoneOf(provider)).toLocalDate(), lineNumber,
                        ReportRow.RowType.valueOf(cells[0]), cells[1], cells[2].isEmpty() ? null : cells[2],
                        new Money(Long.parseLong(cells[3]), cells[4]), ProviderStatus.valueOf(cells[5]), occurredAt);
                next = advance();
                return row;
            }
        };
    }

    @Override
    public void write(Iterable<ReportRow> rows, Writer out) throws IOException {
        out.write(HEADER + "\n");
        for (ReportRow row : rows) {
            out.write(line(row.type().name(), row.providerReference(), row.transactionId(),
                    row.amount().getAmountMinor(), row.amount().getCurrency(), row.status(), row.occurredAt()) + "\n");
        }
    }
}
