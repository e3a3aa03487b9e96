package dev.ngao.platform.webhook;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The card network's scheme: {@code X-Card-Network-Timestamp: <unix seconds>} and
 * {@code X-Card-Network-Signature: sha256=<hex>}, the hex being HMAC-SHA256 over {@code timestamp + "." + body}.
 */
public final class CardNetworkSignature extends WebhookSignatureScheme {

    public static final String PROVIDER = "card-network";
    public static final String SIGNATURE_HEADER = "X-Card-Network-Signature";
    public static final String TIMESTAMP_HEADER = "X-Card-Network-Timestamp";

    private static final String PREFIX = "sha256=";
    private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");
    private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final HexFormat HEX = HexFormat.of();

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Map<String, String> sign(byte[] body, Instant at, byte[] secret) {
        String timestamp = Long.toString(at.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIMESTAMP_HEADER, timestamp);
        headers.put(SIGNATURE_HEADER, PREFIX + HEX.formatHex(hmac(secret, timestamp, body)));
        return headers;
    }

    @Override
    Optional<Signed> parse(UnaryOperator<String> header) {
        String signature = header(header, SIGNATURE_HEADER);
        String timestamp = header(header, TIMESTAMP_HEADER);
        if (signature == null || timestamp == null) {
            return Optional.empty();
        }
        if (!UNIX_SECONDS.matcher(timestamp).matches() || !signature.startsWith(PREFIX)
                || !HEX_SIGNATURE.matcher(signature.substring(PREFIX.length())).matches()) {
            throw new IllegalArgumentException("malformed timestamp or signature");
        }
        return Optional.of(new Signed(timestamp, Instant.ofEpochSecond(Long.parseLong(timestamp)),
                List.of(HEX.parseHex(signature.substring(PREFIX.length())))));
    }
}
