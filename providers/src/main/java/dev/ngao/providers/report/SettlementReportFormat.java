package dev.ngao.providers.report;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.Iterator;

/**
 * A provider's settlement report format (CSV), read as a stream of normalised rows so that a report of
 * any size is reconciled in bounded memory, and written by the sandbox in the same format.
 */
public interface SettlementReportFormat {

    /**
     * Rows of the report one at a time; a malformed line fails with {@link ReportFormatException} naming
     * the line and the column, never echoing personal data.
     */
    Iterator<ReportRow> read(Reader report) throws IOException;

    /** Writes rows in this format, header first. */
    void write(Iterable<ReportRow> rows, Writer out) throws IOException;
}
