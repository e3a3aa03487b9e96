package dev.ngao.ingest.idempotency;

import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** What a key protects, as a SHA-256 in hex: the same key with another fingerprint is a reuse. */
public final class Fingerprints {

    private Fingerprints() {
    }

    /**
     * Method, path and query, and the body byte for byte: the same key sent to another route, or with
     * another body, is a different request.
     */
    public static String ofRequest(RoutingContext context) {
        MessageDigest digest = sha256();
        digest.update(context.request().method().name().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(context.request().uri().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        if (context.body() != null && !context.body().isEmpty()) {
            digest.update(context.body().buffer().getBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of the parts, each followed by a newline. */
    public static String of(String... parts) {
        MessageDigest digest = sha256();
        for (String part : parts) {
            digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
