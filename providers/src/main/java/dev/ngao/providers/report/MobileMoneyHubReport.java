package dev.ngao.providers.report;

import dev.ngao.events.Money;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.mobilemoney.MobileMoneyHubApi;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The mobile-money hub's daily settlement report: one line per payment and one more per fee, the fee line
 * carrying the payment's hub reference; times in UTC with a Z; the settlement day is the UTC day.
 * <pre>
 * settlement_date,record_type,hub_reference,transaction_id,amount,currency,status,completed_at
 * 2026-03-01,PAYMENT,MMH-20260301-0001,txn-0001,1500.50,KES,SUCCESSFUL,2026-03-01T10:15:30Z
 * 2026-03-01,FEE,MMH-20260301-0001,txn-0001,15.00,KES,SUCCESSFUL,2026-03-01T10:15:30Z
 * </pre>
 * {@code record_type} is PAYMENT or FEE; {@code status} is the hub's word (SUCCESSFUL, REVERSED...);
 * {@code transaction_id} may be empty on a fee line.
 */
public final class MobileMoneyHubReport extends CsvReportFormat {

    static final List<String> HEADER = List.of("settlement_date", "record_type", "hub_reference", "transaction_id",
            "amount", "currency", "status", "completed_at");

    @Override
    List<String> header() {
        return HEADER;
    }

    @Override
    void read(CsvLine line, Consumer<ReportRow> rows) {
        ReportRow.RowType type = switch (line.required("record_type")) {
            case "PAYMENT" -> ReportRow.RowType.PAYMENT;
            case "FEE" -> ReportRow.RowType.FEE;
            default -> throw line.error("record_type", "must be PAYMENT or FEE");
        };
        String currency = line.currency("currency");
        Money amount = line.money("amount", currency);
        String transactionId = type == ReportRow.RowType.PAYMENT ? line.reference("transaction_id")
                : line.optionalReference("transaction_id");
        rows.accept(new ReportRow(ProviderKind.MOBILE_MONEY_HUB.id(), line.date("settlement_date"), line.lineNumber(),
                type, line.reference("hub_reference"), transactionId, amount,
                line.status("status", MobileMoneyHubApi.STATUSES), line.utcInstant("completed_at")));
    }

    @Override
    void write(Iterator<ReportRow> rows, Consumer<String[]> lines) {
        while (rows.hasNext()) {
            ReportRow row = rows.next();
            lines.accept(new String[]{row.settlementDay().toString(), row.type().name(), row.providerReference(),
                    row.transactionId() == null ? "" : row.transactionId(), decimal(row.amount()),
                    row.amount().getCurrency(), MobileMoneyHubApi.STATUSES.word(row.status()),
                    DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(row.occurredAt().getEpochSecond()))});
        }
    }
}
