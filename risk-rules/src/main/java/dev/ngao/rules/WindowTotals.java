package dev.ngao.rules;

/**
 * How many earlier requests of one dimension value fell in a sliding window, and the sum of their amounts
 * in one currency (requests in other currencies count, their amounts do not add). The current request is
 * never included: a rule adds it itself.
 */
public record WindowTotals(long count, long sumMinor) {

    public static final WindowTotals NONE = new WindowTotals(0, 0);
}
