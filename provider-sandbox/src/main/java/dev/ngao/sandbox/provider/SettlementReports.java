package dev.ngao.sandbox.provider;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.money.Amounts;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.report.CardNetworkReport;
import dev.ngao.providers.report.MobileMoneyHubReport;
import dev.ngao.providers.report.PagoEfectivoReport;
import dev.ngao.providers.report.ReportRow;
import dev.ngao.providers.report.SettlementReportFormat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A simulated provider's daily settlement report, in its own format, with the run's report misbehaviour:
 * each settled payment (in transaction-id order) draws, always in this order and always all six:
 * missing, duplicated, amount, currency, status, extra. Every disagreement is recorded as it is injected,
 * so a test knows exactly which breaks the reconciler must find.
 */
public final class SettlementReports {

    /** Another currency with the same minor digits, so the amount stays valid text in both. */
    private static final Map<String, String> OTHER_CURRENCY = Map.of(
            "KES", "TZS", "TZS", "KES", "PEN", "USD", "USD", "EUR", "EUR", "USD", "UGX", "RWF", "RWF", "UGX",
            "XOF", "XAF", "XAF", "XOF");

    /** A report: its rows in order, ready for the format. */
    public record Report(ProviderKind kind, LocalDate day, List<ReportRow> rows) {
    }

    private SettlementReports() {
    }

    public static SettlementReportFormat format(ProviderKind kind) {
        return switch (kind) {
            case MOBILE_MONEY_HUB -> new MobileMoneyHubReport();
            case PAGOEFECTIVO -> new PagoEfectivoReport();
            case CARD_NETWORK -> new CardNetworkReport();
        };
    }

    /** The report of {@code day} for {@code provider}'s settled payments, disagreements injected. */
    public static Report build(SimulatedProvider provider, LocalDate day, Misbehaviour misbehaviour,
                               Consumer<Injection> injections) {
        ProviderKind kind = provider.kind();
        Chance chance = new Chance(misbehaviour.seed(), "report/" + kind.id() + "/" + day);
        List<ReportRow> rows = new ArrayList<>();
        int extras = 0;
        for (SandboxPayment payment : provider.settledOn(day)) {
            boolean missing = chance.percent(misbehaviour.reportMissingPercent());
            boolean duplicated = chance.percent(misbehaviour.reportDuplicatedPercent());
            boolean amount = chance.percent(misbehaviour.reportAmountPercent());
            boolean currency = chance.percent(misbehaviour.reportCurrencyPercent());
            boolean status = chance.percent(misbehaviour.reportStatusPercent());
            boolean extra = chance.percent(misbehaviour.reportExtraPercent());
            String id = payment.transactionId();
            if (missing) {
                injections.accept(new Injection(Injection.Kind.REPORT_ROW_MISSING, kind.id(), id, payment.reference()));
            } else {
                Money paid = payment.amount();
                ProviderStatus reported = payment.finalStatus();
                if (amount) {
                    paid = new Money(paid.getAmountMinor() + 1, paid.getCurrency());
                    injections.accept(new Injection(Injection.Kind.REPORT_AMOUNT_CHANGED, kind.id(), id,
                            Amounts.toDecimalText(paid.getAmountMinor(), paid.getCurrency())));
                }
                if (currency) {
                    String other = OTHER_CURRENCY.getOrDefault(paid.getCurrency(), "USD");
                    paid = new Money(paid.getAmountMinor(), other);
                    injections.accept(new Injection(Injection.Kind.REPORT_CURRENCY_CHANGED, kind.id(), id, other));
                }
                if (status) {
                    reported = reported == ProviderStatus.SUCCEEDED ? ProviderStatus.REVERSED : ProviderStatus.SUCCEEDED;
                    injections.accept(new Injection(Injection.Kind.REPORT_STATUS_CHANGED, kind.id(), id, reported.name()));
                }
                addRows(rows, kind, day, payment, paid, reported);
                if (duplicated) {
                    addRows(rows, kind, day, payment, paid, reported);
                    injections.accept(new Injection(Injection.Kind.REPORT_ROW_DUPLICATED, kind.id(), id,
                            payment.reference()));
                }
            }
            if (extra) {
                extras++;
                String extraId = "sandbox-extra-" + day + "-" + extras;
                Instant at = day.atTime(LocalTime.NOON).atZone(kind.settlementZone()).toInstant();
                rows.add(new ReportRow(kind.id(), day, rows.size() + 2L, ReportRow.RowType.PAYMENT,
                        "EXTRA-" + day + "-" + extras, extraId, payment.amount(), ProviderStatus.SUCCEEDED, at));
                injections.accept(new Injection(Injection.Kind.REPORT_ROW_EXTRA, kind.id(), extraId,
                        "EXTRA-" + day + "-" + extras));
            }
        }
        return new Report(kind, day, List.copyOf(rows));
    }

    private static void addRows(List<ReportRow> rows, ProviderKind kind, LocalDate day, SandboxPayment payment,
                                Money amount, ProviderStatus status) {
        // Line numbers as the rows will be written: header on line 1.
        rows.add(new ReportRow(kind.id(), day, rows.size() + 2L, ReportRow.RowType.PAYMENT, payment.reference(),
                payment.transactionId(), amount, status, payment.finalAt()));
        if (payment.fee() != null) {
            rows.add(new ReportRow(kind.id(), day, rows.size() + 2L, ReportRow.RowType.FEE, payment.reference(),
                    payment.transactionId(), new Money(payment.fee().getAmountMinor(), amount.getCurrency()), status,
                    payment.finalAt()));
        }
    }

    public static void write(Report report, Writer out) throws IOException {
        format(report.kind()).write(report.rows(), out);
    }

    /** Writes the report as {@code <directory>/<provider>-<day>.csv} and answers the file. */
    public static Path writeFile(Report report, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(report.kind().id() + "-" + report.day() + ".csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(report, out);
        }
        return file;
    }
}
