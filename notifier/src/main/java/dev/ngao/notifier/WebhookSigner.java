package dev.ngao.notifier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme"): HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>} keyed with the secret's decoded bytes, written
 * {@code v1,<base64>}. While a merchant rotates, every active secret signs and the signatures go
 * space-separated into one {@code webhook-signature} header; a verifier accepts the message when any
 * of them matches a secret it holds.
 *
 * <p>Written here rather than taken from a library: the specification's own Java library is not
 * published on Maven Central, and the one that is (com.cosium's standard-webhooks-consumer) implements
 * the receiving side only. The scheme is a single HMAC, and the specification's test vector checks it
 * ({@code WebhookSignerTest}).
 */
public final class WebhookSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSigner() {
    }

    /** One {@code v1,<base64>} signature per secret, in the secrets' order, joined by spaces. */
    public static String sign(List<WebhookSecret> secrets, String webhookId, long timestampSeconds, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("signing needs at least one secret");
        }
        List<String> signatures = new ArrayList<>(secrets.size());
        for (WebhookSecret secret : secrets) {
            signatures.add(VERSION + "," + Base64.getEncoder().encodeToString(
                    hmac(secret, webhookId, timestampSeconds, body)));
        }
        return String.join(" ", signatures);
    }

    /**
     * What a merchant does on receipt: true when one of the space-separated {@code v1} signatures of
     * {@code signatureHeader} is the HMAC of the message under {@code secret}, compared in constant time.
     * The timestamp tolerance is the receiver's own check and not made here.
     */
    public static boolean verify(WebhookSecret secret, String webhookId, long timestampSeconds, byte[] body,
                                 String signatureHeader) {
        byte[] expected = hmac(secret, webhookId, timestampSeconds, body);
        boolean matched = false;
        for (String signature : signatureHeader.trim().split(" +")) {
            int comma = signature.indexOf(',');
            if (comma < 0 || !VERSION.equals(signature.substring(0, comma))) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(signature.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            matched |= MessageDigest.isEqual(expected, given);
        }
        return matched;
    }

    private static byte[] hmac(WebhookSecret secret, String webhookId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.key(), ALGORITHM));
            mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
