package dev.ngao.ingest.pii;

import dev.ngao.platform.pii.PiiProtector;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The keyed-hash dimensions and display masks of the personal data ingest-service receives. One dimension
 * per kind of identifier, shared by every route, so the same person hashes to the same key wherever they
 * appear: a phone in a CIP, a wallet's MSISDN and a block-list PHONE entry all hash in {@link #MSISDN}.
 */
public final class PersonalData {

    public static final String MSISDN = "msisdn";
    public static final String EMAIL = "email";
    public static final String DNI = "dni";
    public static final String FOREIGNER_CARD = "ce";
    public static final String PASSPORT = "passport";
    public static final String DEVICE = "device";
    public static final String CARDHOLDER = "cardholder";

    /**
     * A device fingerprint as a merchant's SDK makes it: opaque, hashed exactly as given (no normalisation, so
     * a payment's device and a DEVICE list entry of the same text hash alike), and bounded.
     */
    public static final Pattern DEVICE_FINGERPRINT = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
    public static final String DEVICE_FINGERPRINT_RULE = "must be 8 to 128 characters among A-Z a-z 0-9 . _ : -";

    private PersonalData() {
    }

    /** Email addresses are compared case-insensitively in practice, so their keys are too. */
    public static String normaliseEmail(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    /** j.doe@example.com -> j****@example.com: the first character of the local part and the domain stay. */
    public static String maskEmail(String email) {
        int at = email.lastIndexOf('@');
        if (at < 1) {
            return PiiProtector.mask(email, 0, 0);
        }
        return PiiProtector.mask(email.substring(0, at), 1, 0) + email.substring(at);
    }

    /** 45678912 -> *****912. */
    public static String maskDocument(String number) {
        return PiiProtector.mask(number, 0, 3);
    }

    /** +51987654321 -> +5198*****21. */
    public static String maskPhone(String phone) {
        return PiiProtector.maskMsisdn(phone);
    }

    /** The hex part of a {@link PiiProtector#hash} ({@code dimension:hex}), for ids that must stay short and URL-safe. */
    public static String hexOf(String hash) {
        return hash.substring(hash.indexOf(':') + 1);
    }
}
