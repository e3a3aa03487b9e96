package dev.ngao.notifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic message ids: {@code msg_} and the first 16 bytes of SHA-256 over the transaction id and
 * its final status, in hex. A replayed decision, a duplicate provider webhook or a status query repeating
 * a webhook all give the same id, which is what makes them one delivery.
 */
final class WebhookIds {

    static final String PREFIX = "msg_";
    private static final int ID_BYTES = 16;

    private WebhookIds() {
    }

    static String of(String transactionId, FinalStatus status) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("ngao-final-status|" + transactionId + "|" + status.name())
                            .getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether {@code text} has the form of an id this notifier makes (for the query API's validation). */
    static boolean looksValid(String text) {
        return text != null && text.length() == PREFIX.length() + 2 * ID_BYTES && text.startsWith(PREFIX)
                && text.substring(PREFIX.length()).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
