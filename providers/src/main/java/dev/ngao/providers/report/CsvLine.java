package dev.ngao.providers.report;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;
import dev.ngao.providers.StatusWords;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One data line of a report with its header, read column by column. Every refusal is a
 * {@link ReportFormatException} naming the line and the column and the rule broken; values are not quoted
 * except amounts and currency codes, which carry no personal data and make the error actionable.
 */
final class CsvLine {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern ZERO = Pattern.compile("0+(\\.0+)?");

    /**
     * What one report repeats on every line, remembered from the line before: the settlement day and the
     * currency are nearly always the same, and parsing them again is most of the cost of a line.
     */
    static final class Memory {
        private String dateText;
        private LocalDate date;
        private String currency;
    }

    private final long lineNumber;
    private final List<String> header;
    private final String[] values;
    private final Memory memory;

    CsvLine(long lineNumber, List<String> header, String[] values) {
        this(lineNumber, header, values, new Memory());
    }

    CsvLine(long lineNumber, List<String> header, String[] values, Memory memory) {
        this.lineNumber = lineNumber;
        this.header = header;
        this.values = values;
        this.memory = memory;
        if (values.length != header.size()) {
            throw new ReportFormatException(lineNumber, "expected " + header.size() + " columns, found " + values.length);
        }
    }

    long lineNumber() {
        return lineNumber;
    }

    String optional(String column) {
        int index = header.indexOf(column);
        if (index < 0) {
            throw new IllegalStateException("no column " + column + " in the format's header");
        }
        String value = values[index].trim();
        return value.isEmpty() ? null : value;
    }

    String required(String column) {
        String value = optional(column);
        if (value == null) {
            throw error(column, "is required");
        }
        return value;
    }

    /** A provider reference or transaction id: the characters ids may have. */
    String reference(String column) {
        String value = required(column);
        if (!REFERENCE.matcher(value).matches()) {
            throw error(column, "must be 1 to 128 characters among A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    String optionalReference(String column) {
        return optional(column) == null ? null : reference(column);
    }

    String currency(String column) {
        String code = required(column);
        if (code.equals(memory.currency)) {
            return memory.currency;
        }
        try {
            Amounts.currency(code);
            memory.currency = code;
            return code;
        } catch (InvalidAmountException e) {
            throw error(column, e.getMessage());
        }
    }

    /** Decimal text in the currency's minor digits; more digits than the currency has is an error, never rounded. */
    Money money(String column, String currency) {
        try {
            return new Money(Amounts.toMinorUnits(required(column), currency), currency);
        } catch (InvalidAmountException e) {
            throw error(column, e.getMessage());
        }
    }

    /** An optional amount (a fee): empty or zero is none. */
    Money optionalMoney(String column, String currency) {
        String value = optional(column);
        if (value == null || ZERO.matcher(value).matches()) {
            return null;
        }
        return money(column, currency);
    }

    ProviderStatus status(String column, StatusWords words) {
        return words.status(required(column)).orElseThrow(() -> error(column, "is not a status of this report"));
    }

    LocalDate date(String column) {
        String value = required(column);
        if (value.equals(memory.dateText)) {
            return memory.date;
        }
        try {
            LocalDate date = LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE);
            memory.dateText = value;
            memory.date = date;
            return date;
        } catch (DateTimeException e) {
            throw error(column, "must be a date yyyy-MM-dd");
        }
    }

    /** An instant written in UTC with a Z. */
    Instant utcInstant(String column) {
        String value = required(column);
        if (!value.endsWith("Z")) {
            throw error(column, "must be UTC, ending in Z");
        }
        try {
            LocalDateTime fixed = fixedDateTime(value, 'T');
            return fixed != null ? fixed.toInstant(java.time.ZoneOffset.UTC)
                    : DateTimeFormatter.ISO_INSTANT.parse(value, Instant::from);
        } catch (DateTimeException e) {
            throw error(column, "must be an ISO-8601 UTC instant such as 2026-03-01T10:15:30Z");
        }
    }

    LocalDateTime localDateTime(String column, DateTimeFormatter format) {
        String value = required(column);
        try {
            LocalDateTime fixed = value.length() == 19 ? fixedDateTime(value, ' ') : null;
            return fixed != null ? fixed : LocalDateTime.parse(value, format);
        } catch (DateTimeException e) {
            throw error(column, "must be a local date-time yyyy-MM-dd HH:mm:ss");
        }
    }

    /**
     * {@code yyyy-MM-dd<separator>HH:mm:ss}, optionally followed by Z, read without a formatter (the common
     * shape of every line, parsed a million times a report); null for any other shape, which the caller
     * then reads with its formatter. Out-of-range fields still fail, as {@link LocalDateTime#of} checks them.
     */
    static LocalDateTime fixedDateTime(String text, char separator) {
        int length = text.length();
        if ((length != 19 && !(length == 20 && text.charAt(19) == 'Z')) || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != separator || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int index = from; index < to; index++) {
            char digit = text.charAt(index);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            value = value * 10 + (digit - '0');
        }
        return value;
    }

    ReportFormatException error(String column, String rule) {
        return new ReportFormatException(lineNumber, "column " + column + " " + rule);
    }
}
