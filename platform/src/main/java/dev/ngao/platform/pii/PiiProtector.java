package dev.ngao.platform.pii;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * PII never travels in clear where it is only counted or shown: a keyed HMAC-SHA256 (the pepper is a
 * secret of the deployment) makes stable counting keys that cannot be reversed by brute force over the
 * small space of phone numbers or DNIs, and masks keep a few characters for display.
 */
public final class PiiProtector {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MINIMUM_PEPPER_BYTES = 16;
    /** ISO/IEC 7812 card numbers have 13 to 19 digits. */
    private static final int MINIMUM_PAN_DIGITS = 13;

    private final SecretKeySpec pepper;

    public PiiProtector(byte[] pepper) {
        if (pepper.length < MINIMUM_PEPPER_BYTES) {
            throw new IllegalArgumentException("PII pepper must have at least " + MINIMUM_PEPPER_BYTES + " bytes");
        }
        this.pepper = new SecretKeySpec(pepper.clone(), ALGORITHM);
    }

    /** A stable, irreversible key for {@code value} within {@code dimension} (e.g. "msisdn", "dni"). */
    public String hash(String dimension, String value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(pepper);
            mac.update(dimension.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return dimension + ":" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    /** Keeps the first {@code keepStart} and last {@code keepEnd} characters: +254712345678 -> +2547******78. */
    public static String mask(String value, int keepStart, int keepEnd) {
        if (value == null) {
            return null;
        }
        if (value.length() <= keepStart + keepEnd) {
            return "*".repeat(value.length());
        }
        return value.substring(0, keepStart) + "*".repeat(value.length() - keepStart - keepEnd)
                + value.substring(value.length() - keepEnd);
    }

    public static String maskMsisdn(String msisdn) {
        return mask(msisdn, 5, 2);
    }

    /** A national identity document (e.g. a Peruvian DNI of 8 digits): only the last 2 characters stay, 12345678 -> ******78. */
    public static String maskDocument(String document) {
        return mask(document, 0, 2);
    }

    /**
     * The first character of the mailbox and of the domain, and the top-level domain, stay:
     * jane.doe@example.com -> j*******@e******.com. Text that is not an address is masked whole.
     */
    public static String maskEmail(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        int lastDot = email.lastIndexOf('.');
        if (at <= 0 || lastDot <= at + 1 || lastDot == email.length() - 1) {
            return "*".repeat(email.length());
        }
        return mask(email.substring(0, at), 1, 0) + "@" + mask(email.substring(at + 1, lastDot), 1, 0)
                + email.substring(lastDot);
    }

    /**
     * A card number (PAN) as PCI DSS allows it to be shown at most: the first 6 and last 4 digits, separators
     * dropped, 4111 1111 1111 1111 -> 411111******1111. Shorter digit strings keep only their last 2.
     */
    public static String maskCardNumber(String cardNumber) {
        if (cardNumber == null) {
            return null;
        }
        String digits = cardNumber.replaceAll("[^0-9]", "");
        return digits.length() >= MINIMUM_PAN_DIGITS ? mask(digits, 6, 4) : mask(digits, 0, 2);
    }
}
