package dev.ngao.platform.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The signed-request scheme of Ngao's APIs, in one place for the verifier (SignedRequestGuard) and every
 * client (the signing client, the sandbox, tests), so both sides cannot drift apart.
 *
 * <p>A request carries {@value #KEY_ID_HEADER}, {@value #TIMESTAMP_HEADER} (Unix seconds),
 * {@value #NONCE_HEADER} (16 to 64 URL-safe characters) and {@value #SIGNATURE_HEADER}:
 * {@code v1=<hex>} where the hex is HMAC-SHA256, keyed with the UTF-8 bytes of the key's secret, over
 * <pre>METHOD + "\n" + path-and-query + "\n" + timestamp + "\n" + nonce + "\n" + hex(SHA-256(body))</pre>
 * The method is upper case; path and query are the raw request target as sent (not decoded); the body
 * hash is over the exact bytes sent (the empty body included). Several {@code v1=} values separated by
 * spaces are accepted, so a client can sign with an old and a new secret while a key rotates.
 */
public final class RequestSigning {

    public static final String KEY_ID_HEADER = "X-Ngao-Key-Id";
    public static final String TIMESTAMP_HEADER = "X-Ngao-Timestamp";
    public static final String NONCE_HEADER = "X-Ngao-Nonce";
    public static final String SIGNATURE_HEADER = "X-Ngao-Signature";

    /** The version tag of the one scheme there is; a new scheme would get v2 and live beside it. */
    public static final String VERSION = "v1";
    public static final int MINIMUM_NONCE_LENGTH = 16;
    public static final int MAXIMUM_NONCE_LENGTH = 64;
    /** More values than this in one signature header are refused: each one costs an HMAC per secret. */
    public static final int MAXIMUM_SIGNATURES = 4;

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = VERSION + "=";
    private static final int SIGNATURE_HEX_LENGTH = 64;
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{" + MINIMUM_NONCE_LENGTH + ","
            + MAXIMUM_NONCE_LENGTH + "}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern HEX_DIGITS = Pattern.compile("[0-9a-fA-F]{" + SIGNATURE_HEX_LENGTH + "}");
    private static final HexFormat HEX = HexFormat.of();

    private RequestSigning() {
    }

    /** The text that is signed; every argument as it travels, the body by its SHA-256 in lower-case hex. */
    public static String canonicalString(String method, String pathAndQuery, String timestamp, String nonce,
                                         String bodySha256Hex) {
        return method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n"
                + bodySha256Hex;
    }

    /** Lower-case hex of SHA-256 over {@code body}; a null body counts as empty. */
    public static String bodySha256Hex(byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(digest.digest(body == null ? new byte[0] : body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The path and query of {@code uri} as they go on the wire (raw, not decoded); "/" when empty. */
    public static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** Lower-case hex HMAC-SHA256 of {@code canonicalString} keyed with {@code secret} (its UTF-8 bytes). */
    public static String signatureHex(byte[] secret, String canonicalString) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return HEX.formatHex(mac.doFinal(canonicalString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    /** {@code v1=<hex>} for each secret, separated by spaces: the value of {@value #SIGNATURE_HEADER}. */
    public static String signatureHeader(List<byte[]> secrets, String canonicalString) {
        if (secrets.isEmpty() || secrets.size() > MAXIMUM_SIGNATURES) {
            throw new IllegalArgumentException("sign with 1 to " + MAXIMUM_SIGNATURES + " secrets");
        }
        List<String> values = new ArrayList<>();
        for (byte[] secret : secrets) {
            values.add(PREFIX + signatureHex(secret, canonicalString));
        }
        return String.join(" ", values);
    }

    /**
     * The {@code v1} signatures of a header value as raw bytes, or empty when the header is malformed:
     * absent, more than {@value #MAXIMUM_SIGNATURES} values, an unknown version, or not 64 hex
     * digits. A malformed header is refused whole rather than partly believed.
     */
    public static List<byte[]> presentedSignatures(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        String[] values = header.trim().split(" +");
        if (values.length > MAXIMUM_SIGNATURES) {
            return List.of();
        }
        List<byte[]> signatures = new ArrayList<>(values.length);
        for (String value : values) {
            if (!value.startsWith(PREFIX) || !HEX_DIGITS.matcher(value.substring(PREFIX.length())).matches()) {
                return List.of();
            }
            signatures.add(HEX.parseHex(value.substring(PREFIX.length())));
        }
        return signatures;
    }

    /**
     * Whether any of {@code presented} is the HMAC of {@code canonicalString} under {@code secret}. Every
     * presented value is compared with {@link MessageDigest#isEqual} (constant time for equal lengths, and
     * all lengths are 32 bytes here), and the loop does not stop at the first match.
     */
    public static boolean matchesAny(byte[] secret, String canonicalString, List<byte[]> presented) {
        byte[] expected = HEX.parseHex(signatureHex(secret, canonicalString));
        boolean matched = false;
        for (byte[] signature : presented) {
            matched |= MessageDigest.isEqual(expected, signature);
        }
        return matched;
    }

    /** Whether {@code nonce} has 16 to 64 characters among A-Z a-z 0-9 - _. */
    public static boolean isValidNonce(String nonce) {
        return nonce != null && NONCE.matcher(nonce).matches();
    }

    /** The timestamp header as Unix seconds, or -1 when it is absent or not a plain decimal number. */
    public static long parseTimestamp(String timestamp) {
        if (timestamp == null || !TIMESTAMP.matcher(timestamp).matches()) {
            return -1;
        }
        return Long.parseLong(timestamp);
    }
}
