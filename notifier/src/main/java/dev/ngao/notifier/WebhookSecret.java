package dev.ngao.notifier;

import java.util.Arrays;
import java.util.Base64;

/**
 * One merchant signing secret in the Standard Webhooks form {@code whsec_<base64>}: the key is the
 * base64-decoded part after the prefix, 24 to 64 bytes as the specification recommends. Its
 * {@link #toString()} never shows the key.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not {@code whsec_} followed by base64 of 24 to 64
     *                                  bytes; the message never repeats the text
     */
    public static WebhookSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is " + PREFIX + " followed by standard base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a webhook secret's key has " + MIN_KEY_BYTES + " to "
                    + MAX_KEY_BYTES + " bytes, not " + key.length);
        }
        return new WebhookSecret(key);
    }

    /** A copy of the HMAC key. */
    byte[] key() {
        return Arrays.copyOf(key, key.length);
    }

    @Override
    public String toString() {
        return PREFIX + "(hidden)";
    }
}
