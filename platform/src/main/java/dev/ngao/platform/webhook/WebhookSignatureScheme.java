package dev.ngao.platform.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How one provider signs its webhooks, in one place for both sides: the provider simulators of the sandbox
 * sign with {@link #sign}, ingest-service checks with {@link #verify}, so the two cannot drift apart.
 *
 * <p>Every scheme here signs the timestamp together with the body, as HMAC-SHA256 over
 * {@code timestamp-as-sent + "." + body}: a timestamp outside the signature could be refreshed by whoever
 * replays a captured call, and the tolerance would then check nothing. Signatures are compared in
 * constant time, against every configured secret (several during a rotation) and every presented
 * signature, without stopping at the first match.
 */
public abstract sealed class WebhookSignatureScheme
        permits MobileMoneyHubSignature, PagoEfectivoSignature, CardNetworkSignature {

    /** Presented signatures beyond this are refused: each costs one HMAC per secret. */
    public static final int MAXIMUM_SIGNATURES = 4;

    private static final String ALGORITHM = "HmacSHA256";

    /** The provider's name, as ingest-service writes it into provider events. */
    public abstract String provider();

    /** The headers that sign {@code body}, sent at {@code at}, with {@code secret} (its UTF-8 bytes as the key). */
    public abstract Map<String, String> sign(byte[] body, Instant at, byte[] secret);

    /**
     * The verdict on a received call.
     *
     * @param header    the value of a request header by name (case-insensitive), null when absent
     * @param secrets   the provider's active secrets; none means nothing is ever valid
     * @param tolerance how far the signed timestamp may be from {@code now}, either way
     */
    public final WebhookVerdict verify(UnaryOperator<String> header, byte[] body, List<byte[]> secrets,
                                       Instant now, Duration tolerance) {
        Optional<Signed> signed;
        try {
            signed = parse(header);
        } catch (RuntimeException e) {
            return WebhookVerdict.MALFORMED;
        }
        if (signed.isEmpty()) {
            return WebhookVerdict.UNSIGNED;
        }
        if (signed.get().signatures().isEmpty() || signed.get().signatures().size() > MAXIMUM_SIGNATURES) {
            return WebhookVerdict.MALFORMED;
        }
        if (Duration.between(signed.get().signedAt(), now).abs().compareTo(tolerance) > 0) {
            return WebhookVerdict.STALE;
        }
        return anyMatches(signed.get(), body, secrets) ? WebhookVerdict.VALID : WebhookVerdict.FORGED;
    }

    /**
     * The signed timestamp and the presented signatures, empty when the call carries no signature or no
     * timestamp; throws (any runtime exception) when a header is present but malformed.
     */
    abstract Optional<Signed> parse(UnaryOperator<String> header);

    /** HMAC-SHA256 keyed with {@code secret} over {@code timestampAsSent + "." + body}. */
    static byte[] hmac(byte[] secret, String timestampAsSent, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update(timestampAsSent.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            return mac.doFinal(body == null ? new byte[0] : body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    private static boolean anyMatches(Signed signed, byte[] body, List<byte[]> secrets) {
        boolean matched = false;
        for (byte[] secret : secrets) {
            byte[] expected = hmac(secret, signed.timestampAsSent(), body);
            for (byte[] presented : signed.signatures()) {
                // No early exit: the time taken does not tell which secret or value matched.
                matched |= MessageDigest.isEqual(expected, presented);
            }
        }
        return matched;
    }

    static String header(UnaryOperator<String> header, String name) {
        String value = header.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** What a call presents: the timestamp exactly as sent (it is signed so), its instant, the signatures. */
    record Signed(String timestampAsSent, Instant signedAt, List<byte[]> signatures) {
    }
}
