package dev.ngao.platform.auth;

import javax.security.auth.x500.X500Principal;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * How a client certificate is bound to an API key for mutual TLS. A binding is either
 * {@code sha256:<hex>} (the SHA-256 of the certificate's DER encoding, what
 * {@code openssl x509 -noout -fingerprint -sha256} prints, colons optional) or {@code subject:<name>}
 * (the subject as RFC 2253 prints it, e.g. {@code subject:CN=merchant-a,O=Acme}). The fingerprint pins
 * one certificate; the subject survives the certificate's renewal by the same CA, so it is only as
 * strong as the CA's care about whom it names.
 */
public final class ClientCertificates {

    public static final String FINGERPRINT_PREFIX = "sha256:";
    public static final String SUBJECT_PREFIX = "subject:";

    private ClientCertificates() {
    }

    /** Both bindings a certificate answers to. */
    public static Set<String> bindingsOf(X509Certificate certificate) {
        return Set.of(fingerprintBinding(certificate), SUBJECT_PREFIX + subject(certificate));
    }

    public static String fingerprintBinding(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return FINGERPRINT_PREFIX + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint a client certificate", e);
        }
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /**
     * A binding in canonical form: fingerprints lower case without colons, subjects re-printed in RFC 2253.
     *
     * @throws IllegalArgumentException when it is neither form
     */
    public static String requireValidBinding(String binding) {
        if (binding.startsWith(FINGERPRINT_PREFIX)) {
            String hex = binding.substring(FINGERPRINT_PREFIX.length()).replace(":", "").toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a sha256: binding needs the 64 hex digits of the fingerprint");
            }
            return FINGERPRINT_PREFIX + hex;
        }
        if (binding.startsWith(SUBJECT_PREFIX)) {
            try {
                return SUBJECT_PREFIX + new X500Principal(binding.substring(SUBJECT_PREFIX.length()))
                        .getName(X500Principal.RFC2253);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a subject: binding needs a distinguished name such as CN=name,O=org");
            }
        }
        throw new IllegalArgumentException("a certificate binding is sha256:<hex> or subject:<distinguished name>");
    }
}
