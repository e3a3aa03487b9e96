package dev.ngao.platform.webhook;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The PagoEfectivo-like CIP service's scheme: {@code PE-Timestamp} is ISO-8601 with an offset, in Lima's
 * local time as PagoEfectivo sends it ({@code 2026-03-01T10:15:30-05:00}), and {@code PE-Signature} is the
 * Base64 HMAC-SHA256 over {@code PE-Timestamp + "." + body}. The timestamp is converted to a UTC instant
 * here, at the edge, and only then compared with the tolerance.
 */
public final class PagoEfectivoSignature extends WebhookSignatureScheme {

    public static final String PROVIDER = "pagoefectivo";
    public static final String SIGNATURE_HEADER = "PE-Signature";
    public static final String TIMESTAMP_HEADER = "PE-Timestamp";
    /** PagoEfectivo's local zone: its timestamps and payment dates are Lima time. */
    public static final ZoneId LIMA = ZoneId.of("America/Lima");

    private static final int SIGNATURE_BYTES = 32;

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Map<String, String> sign(byte[] body, Instant at, byte[] secret) {
        String timestamp = at.atZone(LIMA).toOffsetDateTime().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIMESTAMP_HEADER, timestamp);
        headers.put(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(hmac(secret, timestamp, body)));
        return headers;
    }

    @Override
    Optional<Signed> parse(UnaryOperator<String> header) {
        String signature = header(header, SIGNATURE_HEADER);
        String timestamp = header(header, TIMESTAMP_HEADER);
        if (signature == null || timestamp == null) {
            return Optional.empty();
        }
        // An offset is required: a bare local time would leave the instant to guesswork.
        Instant signedAt = OffsetDateTime.parse(timestamp, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        byte[] decoded = Base64.getDecoder().decode(signature);
        if (decoded.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("signature must be 32 bytes");
        }
        return Optional.of(new Signed(timestamp, signedAt, List.of(decoded)));
    }
}
