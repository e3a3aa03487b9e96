package dev.ngao.platform.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The mobile-money hub's scheme (Stripe-like): {@code X-Hub-Signature: t=<unix seconds>,v1=<hex>} where the
 * hex is HMAC-SHA256 over {@code t + "." + body}. While the hub rotates its secret it may send several
 * {@code v1=} values, one per secret.
 */
public final class MobileMoneyHubSignature extends WebhookSignatureScheme {

    public static final String PROVIDER = "mobile-money-hub";
    public static final String SIGNATURE_HEADER = "X-Hub-Signature";

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
        return Map.of(SIGNATURE_HEADER, "t=" + timestamp + ",v1=" + HEX.formatHex(hmac(secret, timestamp, body)));
    }

    @Override
    Optional<Signed> parse(UnaryOperator<String> header) {
        String value = header(header, SIGNATURE_HEADER);
        if (value == null) {
            return Optional.empty();
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String element : value.split(",", -1)) {
            String[] pair = element.trim().split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("element without '='");
            }
            switch (pair[0]) {
                case "t" -> {
                    if (timestamp != null || !UNIX_SECONDS.matcher(pair[1]).matches()) {
                        throw new IllegalArgumentException("one t of Unix seconds expected");
                    }
                    timestamp = pair[1];
                }
                case "v1" -> {
                    if (!HEX_SIGNATURE.matcher(pair[1]).matches()) {
                        throw new IllegalArgumentException("v1 must be 64 hex digits");
                    }
                    signatures.add(HEX.parseHex(pair[1]));
                }
                default -> {
                    // Other schemes (v0, future versions) are ignored, as Stripe's clients do.
                }
            }
        }
        if (timestamp == null) {
            return Optional.empty();
        }
        return Optional.of(new Signed(timestamp, Instant.ofEpochSecond(Long.parseLong(timestamp)), signatures));
    }
}
