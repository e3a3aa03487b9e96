package dev.ngao.console.account;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Time-based one-time passwords, RFC 6238 over RFC 4226's HOTP: HMAC-SHA1 of the count of 30-second steps since
 * the Unix epoch, dynamically truncated to 6 digits, the parameters every authenticator app uses by default. A
 * code is accepted one step either side of now (RFC 6238 section 5.2's allowance for clock drift and typing
 * time), and {@link #match} says which step it was, so the caller can refuse that step and earlier ones from then
 * on (no replay). Written here rather than taken from a library: it is these few lines and the JDK's HMAC, and
 * {@code TotpTest} checks them against the RFC's own test vectors.
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    /** Steps accepted either side of the current one. */
    public static final int WINDOW_STEPS = 1;
    /** 160 bits, the length of an HMAC-SHA1 key RFC 4226 recommends. */
    public static final int SECRET_BYTES = 20;
    private static final Pattern CODE = Pattern.compile("\\d{" + DIGITS + "}");
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** Whether {@code text} has the shape of a code (six digits), as opposed to a recovery code. */
    public static boolean looksLikeCode(String text) {
        return CODE.matcher(text).matches();
    }

    /** The time step of {@code instant}. */
    public static long step(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of {@code secret} at {@code instant}. */
    public static String code(byte[] secret, Instant instant) {
        return codeAt(secret, step(instant), DIGITS, "HmacSHA1");
    }

    /**
     * The step whose code {@code code} is, within one step of {@code now}, and later than {@code lastUsedStep}
     * (a step already used is not accepted again); empty when none is. Every candidate is computed and compared
     * in constant time, so the time taken does not tell which step matched.
     */
    public static OptionalLong match(byte[] secret, String code, Instant now, long lastUsedStep) {
        if (code == null || !looksLikeCode(code)) {
            return OptionalLong.empty();
        }
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        OptionalLong matched = OptionalLong.empty();
        for (long step = current - WINDOW_STEPS; step <= current + WINDOW_STEPS; step++) {
            byte[] expected = codeAt(secret, step, DIGITS, "HmacSHA1").getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented) && step > lastUsedStep) {
                matched = OptionalLong.of(step);
            }
        }
        return matched;
    }

    /**
     * The otpauth:// URI of Google Authenticator's key URI format, which authenticator apps read from a QR code:
     * issuer and account label, the secret in Base32, and the parameters spelt out.
     */
    public static String uri(String issuer, String account, byte[] secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + Base32.encode(secret) + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    /** RFC 4226 section 5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits. */
    static String codeAt(byte[] secret, long step, int digits, String algorithm) {
        byte[] hmac;
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, algorithm));
            hmac = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is required of every JVM", e);
        }
        int offset = hmac[hmac.length - 1] & 0x0f;
        int binary = ((hmac[offset] & 0x7f) << 24) | ((hmac[offset + 1] & 0xff) << 16)
                | ((hmac[offset + 2] & 0xff) << 8) | (hmac[offset + 3] & 0xff);
        String code = Integer.toString(binary % POWERS_OF_TEN[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
