package dev.ngao.providers.report;

/** A settlement report line that cannot be read; names the line and column. */
public final class ReportFormatException extends RuntimeException {

    private final long lineNumber;

    public ReportFormatException(long lineNumber, String message) {
        super("line " + lineNumber + ": " + message);
        this.lineNumber = lineNumber;
    }

    public long lineNumber() {
        return lineNumber;
    }
}
