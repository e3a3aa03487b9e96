package dev.ngao.ingest.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Certificates made at test time (never committed): a CA, server certificates for 127.0.0.1, client
 * certificates it issues. EC P-256 keys, so generation takes milliseconds.
 */
public final class TestCertificates {

    public static final char[] PASSWORD = "test-store-password".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its private key. */
    public record Identity(X509Certificate certificate, KeyPair keys) {
    }

    private TestCertificates() {
    }

    public static Identity authority(String commonName) throws Exception {
        KeyPair keys = newKeyPair();
        X500Name name = name("CN=" + commonName);
        X509v3CertificateBuilder builder = builder(name, name, keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Identity(sign(builder, keys), keys);
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public static Identity server(Identity authority) throws Exception {
        KeyPair keys = newKeyPair();
        X509v3CertificateBuilder builder = builder(issuerOf(authority), name("CN=localhost"), keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
        return new Identity(sign(builder, authority.keys()), keys);
    }

    /** A client certificate whose subject is {@code subject} (e.g. CN=merchant-a,O=Acme). */
    public static Identity client(Identity authority, String subject) throws Exception {
        KeyPair keys = newKeyPair();
        X509v3CertificateBuilder builder = builder(issuerOf(authority), name(subject), keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new Identity(sign(builder, authority.keys()), keys);
    }

    public static Path writeCertificatePem(Path file, X509Certificate... certificates) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            pem.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** The private key as PKCS#8 PEM. */
    public static Path writePrivateKeyPem(Path file, Identity identity) throws Exception {
        return Files.writeString(file, pem("PRIVATE KEY", identity.keys().getPrivate().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    public static Path writePkcs12(Path file, Identity identity, X509Certificate authority) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", identity.keys().getPrivate(), PASSWORD,
                new Certificate[] {identity.certificate(), authority});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        return file;
    }

    /** A client TLS context trusting {@code trusted} and presenting {@code identity} (or nothing when null). */
    public static SSLContext clientContext(X509Certificate trusted, Identity identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        if (identity != null) {
            own.setKeyEntry("client", identity.keys().getPrivate(), PASSWORD, new Certificate[] {identity.certificate()});
        }
        keyManagers.init(own, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), RANDOM);
        return context;
    }

    private static X500Name issuerOf(Identity authority) {
        return X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded());
    }

    /** Encoded as the JDK encodes it, so RFC 2253 prints it back as written (BouncyCastle's parser keeps the other order). */
    private static X500Name name(String distinguishedName) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(distinguishedName).getEncoded());
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
