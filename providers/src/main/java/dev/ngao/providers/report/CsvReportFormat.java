package dev.ngao.providers.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.ngao.platform.money.Amounts;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * What the three CSV formats share: Jackson's CSV parser read one record at a time (a report of any size
 * in bounded memory), an exact header on line 1, a fixed column count, and line numbers for every error.
 * A record may not span lines (no quoted line breaks), so a record's number is its line in the file.
 */
abstract class CsvReportFormat implements SettlementReportFormat {

    private static final CsvMapper MAPPER = new CsvMapper();

    /** The header, in order, exactly as line 1 must read. */
    abstract List<String> header();

    /** The rows of one data line: one, or a payment and its fee. */
    abstract void read(CsvLine line, Consumer<ReportRow> rows);

    /** The lines of these rows, in order; formats with the fee inline merge a payment with its fee row. */
    abstract void write(Iterator<ReportRow> rows, Consumer<String[]> lines);

    @Override
    public final Iterator<ReportRow> read(Reader report) throws IOException {
        MappingIterator<String[]> records = MAPPER.readerFor(String[].class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvSchema.emptySchema().withoutHeader())
                .readValues(report);
        List<String> header = header();
        if (!hasNext(records, 1)) {
            throw new ReportFormatException(1, "empty report: the header is missing");
        }
        String[] first = next(records, 1);
        if (!Arrays.asList(first).stream().map(String::trim).toList().equals(header)) {
            throw new ReportFormatException(1, "header must be " + String.join(",", header));
        }
        return new Rows(records, header);
    }

    @Override
    public final void write(Iterable<ReportRow> rows, Writer out) throws IOException {
        try (SequenceWriter writer = MAPPER.writerFor(String[].class)
                .with(CsvSchema.emptySchema().withoutHeader().withLineSeparator("\n"))
                // Quotes only where CSV needs them (a comma, a quote, a line break), as providers write.
                .with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                .writeValues(out)) {
            writer.write(header().toArray(String[]::new));
            write(rows.iterator(), line -> {
                try {
                    writer.write(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static String decimal(dev.ngao.events.Money money) {
        return Amounts.toDecimalText(money.getAmountMinor(), money.getCurrency());
    }

    private static boolean hasNext(MappingIterator<String[]> records, long lineNumber) {
        try {
            return records.hasNextValue();
        } catch (IOException | RuntimeException e) {
            // The parser's message may quote the line: not repeated here.
            throw new ReportFormatException(lineNumber, "not well-formed CSV");
        }
    }

    private static String[] next(MappingIterator<String[]> records, long lineNumber) {
        try {
            return records.nextValue();
        } catch (IOException | RuntimeException e) {
            throw new ReportFormatException(lineNumber, "not well-formed CSV");
        }
    }

    /** Reads ahead one record at a time; a line with a payment and its fee leaves the fee waiting here. */
    private final class Rows implements Iterator<ReportRow> {
        private final MappingIterator<String[]> records;
        private final List<String> header;
        private final Deque<ReportRow> ready = new ArrayDeque<>(2);
        private final CsvLine.Memory memory = new CsvLine.Memory();
        private long lineNumber = 1;

        Rows(MappingIterator<String[]> records, List<String> header) {
            this.records = records;
            this.header = header;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && CsvReportFormat.hasNext(records, lineNumber + 1)) {
                lineNumber++;
                String[] values = CsvReportFormat.next(records, lineNumber);
                if (values.length == 0 || values.length == 1 && values[0].isBlank()) {
                    continue;
                }
                read(new CsvLine(lineNumber, header, values, memory), ready::add);
            }
            return !ready.isEmpty();
        }

        @Override
        public ReportRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }
    }
}
