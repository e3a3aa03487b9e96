package dev.ngao.reconciler.report;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.report.ReportRow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a report says about one provider reference: its payment rows (the first kept, the others counted:
 * more than one is a duplicate) and its fee rows summed per currency. Bounded whatever the report holds:
 * at most {@link #MAX_LINES_KEPT} line numbers are kept for the break's detail.
 */
final class ReferenceGroup {

    static final int MAX_LINES_KEPT = 5;

    private final String reference;
    private Row firstPayment;
    private long paymentRows;
    private final List<Long> paymentLines = new ArrayList<>();
    private final SortedMap<String, Long> feesMinorByCurrency = new TreeMap<>();
    private long feeRows;
    private final List<Long> feeLines = new ArrayList<>();

    /** A report row as the run keeps it: what matching needs and nothing else. */
    record Row(ReportRow.RowType type, long amountMinor, String currency, ProviderStatus status,
               String transactionId, long lineNumber) {

        Money amount() {
            return new Money(amountMinor, currency);
        }

        static Row of(ReportRow row) {
            return new Row(row.type(), row.amount().getAmountMinor(), row.amount().getCurrency(), row.status(),
                    row.transactionId(), row.lineNumber());
        }

        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(48);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(lineNumber);
                out.writeByte(type.ordinal());
                out.writeLong(amountMinor);
                out.writeUTF(currency);
                out.writeByte(status.ordinal());
                out.writeBoolean(transactionId != null);
                if (transactionId != null) {
                    out.writeUTF(transactionId);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Row decode(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                long lineNumber = in.readLong();
                ReportRow.RowType type = ReportRow.RowType.values()[in.readByte()];
                long amountMinor = in.readLong();
                String currency = in.readUTF();
                ProviderStatus status = ProviderStatus.values()[in.readByte()];
                String transactionId = in.readBoolean() ? in.readUTF() : null;
                return new Row(type, amountMinor, currency, status, transactionId, lineNumber);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    ReferenceGroup(String reference) {
        this.reference = reference;
    }

    void add(Row row) {
        if (row.type() == ReportRow.RowType.FEE) {
            feeRows++;
            feesMinorByCurrency.merge(row.currency(), row.amountMinor(), Math::addExact);
            keep(feeLines, row.lineNumber());
        } else {
            paymentRows++;
            if (firstPayment == null) {
                firstPayment = row;
            }
            keep(paymentLines, row.lineNumber());
        }
    }

    private static void keep(List<Long> lines, long line) {
        if (lines.size() < MAX_LINES_KEPT) {
            lines.add(line);
        }
    }

    String reference() {
        return reference;
    }

    Row firstPayment() {
        return firstPayment;
    }

    long paymentRows() {
        return paymentRows;
    }

    long feeRows() {
        return feeRows;
    }

    SortedMap<String, Long> feesMinorByCurrency() {
        return Collections.unmodifiableSortedMap(feesMinorByCurrency);
    }

    /** A transaction id the report gave for this reference, if any. */
    String transactionId() {
        return firstPayment != null ? firstPayment.transactionId() : null;
    }

    String paymentLinesText() {
        return linesText(paymentLines, paymentRows);
    }

    String feeLinesText() {
        return linesText(feeLines, feeRows);
    }

    private static String linesText(List<Long> lines, long count) {
        StringBuilder text = new StringBuilder(lines.size() == 1 ? "line " : "lines ");
        for (int index = 0; index < lines.size(); index++) {
            text.append(index == 0 ? "" : ", ").append(lines.get(index));
        }
        if (count > lines.size()) {
            text.append(" and ").append(count - lines.size()).append(" more");
        }
        return text.toString();
    }
}
