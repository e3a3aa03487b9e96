package dev.ngao.providers.report;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.card.CardNetworkApi;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The card network's daily settlement report: one line per capture or reversal, the interchange fee in a
 * column of the same line, times in UTC; the settlement day is the network's own column (a capture late
 * in the day settles on the next).
 * <pre>
 * settlement_date,authorization_code,transaction_id,type,amount,currency,interchange_fee,captured_at
 * 2026-03-02,A1B2C3,txn-0001,CAPTURED,12.34,USD,0.19,2026-03-01T23:59:10Z
 * </pre>
 */
public final class CardNetworkReport extends CsvReportFormat {

    static final List<String> HEADER = List.of("settlement_date", "authorization_code", "transaction_id", "type",
            "amount", "currency", "interchange_fee", "captured_at");

    @Override
    List<String> header() {
        return HEADER;
    }

    @Override
    void read(CsvLine line, Consumer<ReportRow> rows) {
        String authorizationCode = line.reference("authorization_code");
        String transactionId = line.reference("transaction_id");
        String currency = line.currency("currency");
        Money amount = line.money("amount", currency);
        Money fee = line.optionalMoney("interchange_fee", currency);
        ProviderStatus status = line.status("type", CardNetworkApi.TYPES);
        Instant capturedAt = line.utcInstant("captured_at");
        String provider = ProviderKind.CARD_NETWORK.id();
        rows.accept(new ReportRow(provider, line.date("settlement_date"), line.lineNumber(), ReportRow.RowType.PAYMENT,
                authorizationCode, transactionId, amount, status, capturedAt));
        if (fee != null) {
            rows.accept(new ReportRow(provider, line.date("settlement_date"), line.lineNumber(), ReportRow.RowType.FEE,
                    authorizationCode, transactionId, fee, status, capturedAt));
        }
    }

    @Override
    void write(Iterator<ReportRow> rows, Consumer<String[]> lines) {
        InlineFees.pair(rows, (payment, fee) -> lines.accept(new String[]{payment.settlementDay().toString(),
                payment.providerReference(), payment.transactionId(), CardNetworkApi.TYPES.word(payment.status()),
                decimal(payment.amount()), payment.amount().getCurrency(), fee == null ? "" : decimal(fee.amount()),
                DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(payment.occurredAt().getEpochSecond()))}));
    }
}
