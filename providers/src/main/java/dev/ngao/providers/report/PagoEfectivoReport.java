package dev.ngao.providers.report;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.pagoefectivo.PagoEfectivoApi;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The PagoEfectivo-like daily settlement report: one line per CIP, its commission in a column of the same
 * line, and the payment date-time in Lima local time without offset, as PagoEfectivo writes it. Times are
 * converted to UTC here, at the edge; the settlement day is the Lima date of the payment (a CIP paid at
 * 23:30 in Lima is 04:30 UTC the next day, and still settles on the Lima day).
 * <pre>
 * cip,codigo_transaccion,monto,moneda,comision,estado,fecha_pago
 * 2026030100001,txn-0001,50.00,PEN,1.50,PAGADO,2026-03-01 23:30:00
 * </pre>
 * {@code estado} is PagoEfectivo's word (PAGADO, EXTORNADO...); {@code comision} may be empty.
 */
public final class PagoEfectivoReport extends CsvReportFormat {

    static final List<String> HEADER = List.of("cip", "codigo_transaccion", "monto", "moneda", "comision", "estado",
            "fecha_pago");
    /** The zone of {@code fecha_pago} and of the settlement day. */
    public static final ZoneId ZONE = ProviderKind.PAGOEFECTIVO.settlementZone();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    @Override
    List<String> header() {
        return HEADER;
    }

    @Override
    void read(CsvLine line, Consumer<ReportRow> rows) {
        String cip = line.reference("cip");
        String transactionId = line.reference("codigo_transaccion");
        String currency = line.currency("moneda");
        Money amount = line.money("monto", currency);
        Money fee = line.optionalMoney("comision", currency);
        ProviderStatus status = line.status("estado", PagoEfectivoApi.STATUSES);
        LocalDateTime paidLocal = line.localDateTime("fecha_pago", LOCAL);
        // An hour that does not exist in Lima (none since 1994) would move forward, never fail.
        Instant paidAt = paidLocal.atZone(ZONE).toInstant();
        String provider = ProviderKind.PAGOEFECTIVO.id();
        rows.accept(new ReportRow(provider, paidLocal.toLocalDate(), line.lineNumber(), ReportRow.RowType.PAYMENT, cip,
                transactionId, amount, status, paidAt));
        if (fee != null) {
            rows.accept(new ReportRow(provider, paidLocal.toLocalDate(), line.lineNumber(), ReportRow.RowType.FEE, cip,
                    transactionId, fee, status, paidAt));
        }
    }

    @Override
    void write(Iterator<ReportRow> rows, Consumer<String[]> lines) {
        InlineFees.pair(rows, (payment, fee) -> {
            LocalDateTime paidLocal = LocalDateTime.ofInstant(payment.occurredAt(), ZONE).withNano(0);
            if (!paidLocal.toLocalDate().equals(payment.settlementDay())) {
                throw new IllegalArgumentException("line " + payment.lineNumber() + ": PagoEfectivo settles a CIP "
                        + "on the Lima day it was paid; this row's settlement day is another");
            }
            lines.accept(new String[]{payment.providerReference(), payment.transactionId(), decimal(payment.amount()),
                    payment.amount().getCurrency(), fee == null ? "" : decimal(fee.amount()),
                    PagoEfectivoApi.STATUSES.word(payment.status()), LOCAL.format(paidLocal)});
        });
    }
}
