package dev.ngao.reconciler.report;

import dev.ngao.events.BreakKind;
import dev.ngao.events.Money;
import dev.ngao.events.ReconciliationBreak;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a run's breaks as they are found, to a CSV for finance and an HTML summary a person can read, in
 * bounded memory: rows stream to temporary files, the summary (counts by type, totals per currency) is put in
 * front of the HTML table at the end, and both files replace the previous ones atomically. Nothing in them
 * depends on when the run ran (a break keeps the time it was first detected), so a re-run of an unchanged day
 * writes identical files.
 */
final class BreakReportWriter implements AutoCloseable {

    static final String CSV_HEADER = "break_id,kind,provider,settlement_day,provider_reference,transaction_id,"
            + "expected_minor,expected_currency,actual_minor,actual_currency,detected_at,detail";

    private final Path csv;
    private final Path html;
    private final Path csvPart;
    private final Path tablePart;
    private final BufferedWriter csvOut;
    private final BufferedWriter tableOut;
    private boolean finished;

    BreakReportWriter(Path directory, RunId run) throws IOException {
        Files.createDirectories(directory);
        this.csv = directory.resolve(run.fileStem() + "-breaks.csv");
        this.html = directory.resolve(run.fileStem() + "-summary.html");
        this.csvPart = directory.resolve(run.fileStem() + "-breaks.csv.part");
        this.tablePart = directory.resolve(run.fileStem() + "-table.html.part");
        this.csvOut = Files.newBufferedWriter(csvPart, StandardCharsets.UTF_8);
        this.tableOut = Files.newBufferedWriter(tablePart, StandardCharsets.UTF_8);
        csvOut.write(CSV_HEADER);
        csvOut.write('\n');
    }

    Path csvPath() {
        return csv;
    }

    Path htmlPath() {
        return html;
    }

    void add(ReconciliationBreak found) {
        try {
            csvOut.write(String.join(",", csv(found.getBreakId()), found.getKind().name(), csv(found.getProvider()),
                    csv(found.getSettlementDay()), csv(found.getProviderReference()), csv(found.getTransactionId()),
                    minor(found.getExpected()), currency(found.getExpected()), minor(found.getActual()),
                    currency(found.getActual()), found.getDetectedAt().toString(), csv(found.getDetail())));
            csvOut.write('\n');
            tableOut.write("<tr><td>" + html(found.getKind().name()) + "</td><td>"
                    + html(found.getProviderReference()) + "</td><td>" + html(found.getTransactionId())
                    + "</td><td class=\"n\">" + html(moneyText(found.getExpected())) + "</td><td class=\"n\">"
                    + html(moneyText(found.getActual())) + "</td><td>" + html(found.getDetail()) + "</td><td>"
                    + html(found.getBreakId()) + "</td></tr>\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the summary and the table, and moves both files into place. */
    void finish(RunSummary summary) throws IOException {
        csvOut.close();
        tableOut.close();
        Path htmlPart = html.resolveSibling(html.getFileName() + ".part");
        try (Writer out = Files.newBufferedWriter(htmlPart, StandardCharsets.UTF_8);
             Reader table = Files.newBufferedReader(tablePart, StandardCharsets.UTF_8)) {
            out.write(head(summary));
            table.transferTo(out);
            out.write(tail(summary));
        }
        Files.move(csvPart, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(htmlPart, html, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(tablePart);
        finished = true;
    }

    @Override
    public void close() throws IOException {
        csvOut.close();
        tableOut.close();
        if (!finished) {
            Files.deleteIfExists(csvPart);
            Files.deleteIfExists(tablePart);
        }
    }

    private static String head(RunSummary summary) {
        RunId run = summary.run();
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Reconciliation ").append(html(run.provider())).append(' ').append(run.day())
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.n{text-align:right}")
                .append(".clean{color:#060}.breaks{color:#a00}</style></head><body>\n")
                .append("<h1>Reconciliation of ").append(html(run.provider())).append(", settlement day ")
                .append(run.day()).append("</h1>\n<p>Run <code>").append(html(run.id())).append("</code>. ")
                .append(summary.rowsRead()).append(" report rows read (").append(summary.paymentRows())
                .append(" payments, ").append(summary.feeRows()).append(" fees); ").append(summary.ledgerPayments())
                .append(" ledger payments on the day; ").append(summary.matched()).append(" matched.</p>\n");
        if (summary.clean()) {
            out.append("<p class=\"clean\"><strong>Clean day: the report and the ledger agree. No breaks.")
                    .append("</strong></p>\n");
        } else {
            out.append("<p class=\"breaks\"><strong>").append(summary.totalBreaks())
                    .append(" break(s) found.</strong></p>\n");
        }
        out.append("<h2>Breaks by type</h2>\n<table><tr><th>type</th><th class=\"n\">count</th></tr>\n");
        for (BreakKind kind : BreakKind.values()) {
            long count = summary.breaksByKind().getOrDefault(kind, 0L);
            if (count > 0) {
                out.append("<tr><td>").append(kind.name()).append("</td><td class=\"n\">").append(count)
                        .append("</td></tr>\n");
            }
        }
        out.append("</table>\n<h2>Totals per currency (minor units)</h2>\n<table><tr><th>currency</th>")
                .append("<th class=\"n\">report payments</th><th class=\"n\">ledger payments</th>")
                .append("<th class=\"n\">difference</th></tr>\n");
        java.util.SortedSet<String> currencies = new java.util.TreeSet<>(summary.reportTotalsMinor().keySet());
        currencies.addAll(summary.ledgerTotalsMinor().keySet());
        for (String currency : currencies) {
            long report = summary.reportTotalsMinor().getOrDefault(currency, 0L);
            long ledger = summary.ledgerTotalsMinor().getOrDefault(currency, 0L);
            out.append("<tr><td>").append(html(currency)).append("</td><td class=\"n\">").append(report)
                    .append("</td><td class=\"n\">").append(ledger).append("</td><td class=\"n\">")
                    .append(Math.subtractExact(report, ledger)).append("</td></tr>\n");
        }
        out.append("</table>\n<h2>Breaks</h2>\n<table><tr><th>type</th><th>provider reference</th>")
                .append("<th>transaction</th><th class=\"n\">ledger (expected)</th>")
                .append("<th class=\"n\">report (actual)</th>")
                .append("<th>detail</th><th>break id</th></tr>\n");
        return out.toString();
    }

    private static String tail(RunSummary summary) {
        return "</table>\n" + (summary.clean() ? "<p>No breaks.</p>\n" : "") + "</body></html>\n";
    }

    private static String minor(Money money) {
        return money == null ? "" : Long.toString(money.getAmountMinor());
    }

    private static String currency(Money money) {
        return money == null ? "" : csv(money.getCurrency());
    }

    private static String moneyText(Money money) {
        return money == null ? "" : money.getAmountMinor() + " " + money.getCurrency();
    }

    /**
     * RFC 4180 quoting, and a leading apostrophe on a text cell that a spreadsheet would run as a formula
     * (CSV injection: a provider reference is data from outside).
     */
    static String csv(String value) {
        if (value == null) {
            return "";
        }
        String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    static String html(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
