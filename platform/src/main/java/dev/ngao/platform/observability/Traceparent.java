package dev.ngao.platform.observability;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/): version, 16-byte trace id,
 * 8-byte parent (span) id and flags, as {@code 00-<32 hex>-<16 hex>-<2 hex>}. It travels in the HTTP header
 * and in a Kafka record header of the same name, so one payment's HTTP call, its request, decision and ledger
 * entries share a trace id in every service's logs. Written here rather than taken from OpenTelemetry: Ngao
 * needs only the header's parse, format and a child span id, not a tracing SDK.
 *
 * @param traceId  32 lower-case hex digits, not all zero
 * @param parentId 16 lower-case hex digits, not all zero: the span of whoever wrote this header
 * @param flags    trace flags (bit 0: sampled)
 */
public record Traceparent(String traceId, String parentId, int flags) {

    /** The header's name, in HTTP and on Kafka records. */
    public static final String HEADER = "traceparent";
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PARENT_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{2}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);
    private static final HexFormat HEX = HexFormat.of();
    private static final RandomGenerator RANDOM = new SecureRandom();
    private static final int SAMPLED = 1;
    /** Version 00 is exactly this long; later versions may append fields after another dash. */
    private static final int VERSION_00_LENGTH = 55;

    public Traceparent {
        if (!TRACE_ID.matcher(traceId).matches() || ZERO_TRACE.equals(traceId)) {
            throw new IllegalArgumentException("trace id must be 32 lower-case hex digits, not all zero");
        }
        if (!PARENT_ID.matcher(parentId).matches() || ZERO_PARENT.equals(parentId)) {
            throw new IllegalArgumentException("parent id must be 16 lower-case hex digits, not all zero");
        }
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("flags must fit one byte");
        }
    }

    /** A new trace, sampled, for a call that arrived without one. */
    public static Traceparent newTrace() {
        return new Traceparent(randomHex(16, ZERO_TRACE), randomHex(8, ZERO_PARENT), SAMPLED);
    }

    /**
     * Parses a header value by the specification's rules: version ff and malformed values are invalid; a
     * version above 00 is read for its first four fields if it is at least as long and continues with a dash.
     */
    public static Optional<Traceparent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.length() < VERSION_00_LENGTH) {
            return Optional.empty();
        }
        String version = value.substring(0, 2);
        if (!VERSION.matcher(version).matches() || "ff".equals(version)) {
            return Optional.empty();
        }
        boolean exactLength = value.length() == VERSION_00_LENGTH;
        if ("00".equals(version) ? !exactLength : !exactLength && value.charAt(VERSION_00_LENGTH) != '-') {
            return Optional.empty();
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return Optional.empty();
        }
        String flags = value.substring(53, 55);
        if (!VERSION.matcher(flags).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Traceparent(value.substring(3, 35), value.substring(36, 52),
                    Integer.parseInt(flags, 16)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The incoming trace continued with a new span of ours, or a new trace when none (or a bad one) came. */
    public static Traceparent continueFrom(String header) {
        return parse(header).map(Traceparent::child).orElseGet(Traceparent::newTrace);
    }

    /** The trace of a Kafka record, if its writer put one there. */
    public static Optional<Traceparent> from(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        return header == null || header.value() == null ? Optional.empty()
                : parse(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** The same trace, with a new span id for the work of this hop. */
    public Traceparent child() {
        return new Traceparent(traceId, randomHex(8, ZERO_PARENT), flags);
    }

    /** Puts this trace on a record's headers, replacing any earlier one. */
    public void writeTo(Headers headers) {
        headers.remove(HEADER);
        headers.add(HEADER, toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "00-" + traceId + "-" + parentId + "-" + String.format("%02x", flags);
    }

    private static String randomHex(int bytes, String zero) {
        String hex;
        do {
            byte[] random = new byte[bytes];
            for (int index = 0; index < bytes; index++) {
                random[index] = (byte) RANDOM.nextInt(256);
            }
            hex = HEX.formatHex(random);
        } while (zero.equals(hex));
        return hex;
    }
}
