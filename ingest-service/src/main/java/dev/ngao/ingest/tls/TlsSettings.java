package dev.ngao.ingest.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.Locale;
import java.util.Set;

/**
 * TLS on the ingest listener: off by default (the embedded demo talks to itself over loopback), on in
 * any deployment that takes traffic from a network. Only TLS 1.2 and 1.3 are offered. The server's key
 * and certificate come from a key store (PKCS#12 or JKS) or from PEM files; mutual TLS, when required,
 * verifies client certificates against a PEM CA bundle, and the verifier then demands that the
 * certificate be bound to the request's API key.
 */
public final class TlsSettings {

    private static final String PREFIX = "ingest.tls.";
    public static final String ENABLED = PREFIX + "enabled";
    public static final String KEY_STORE_PATH = PREFIX + "key.store.path";
    public static final String KEY_STORE_PASSWORD = PREFIX + "key.store.password";
    public static final String CERTIFICATE_PATH = PREFIX + "certificate.path";
    public static final String PRIVATE_KEY_PATH = PREFIX + "private.key.path";
    public static final String CLIENT_AUTH = PREFIX + "client.auth";
    public static final String CLIENT_CA_PATH = PREFIX + "client.ca.path";

    public static final String CLIENT_AUTH_NONE = "none";
    public static final String CLIENT_AUTH_REQUIRED = "required";
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final boolean enabled;
    private final String keyStorePath;
    private final String keyStorePassword;
    private final String certificatePath;
    private final String privateKeyPath;
    private final boolean clientCertificateRequired;
    private final String clientCaPath;

    /** @throws ConfigException when the settings do not make one coherent listener */
    public TlsSettings(AbstractConfig config) {
        this.enabled = config.getBoolean(ENABLED);
        this.keyStorePath = config.getString(KEY_STORE_PATH).trim();
        this.keyStorePassword = config.getPassword(KEY_STORE_PASSWORD).value();
        this.certificatePath = config.getString(CERTIFICATE_PATH).trim();
        this.privateKeyPath = config.getString(PRIVATE_KEY_PATH).trim();
        this.clientCertificateRequired = CLIENT_AUTH_REQUIRED.equals(config.getString(CLIENT_AUTH));
        this.clientCaPath = config.getString(CLIENT_CA_PATH).trim();
        validate();
    }

    private void validate() {
        if (!enabled) {
            if (clientCertificateRequired) {
                throw new ConfigException(CLIENT_AUTH, CLIENT_AUTH_REQUIRED, "mutual TLS needs " + ENABLED + "=true");
            }
            return;
        }
        boolean keyStore = !keyStorePath.isEmpty();
        boolean pem = !certificatePath.isEmpty() || !privateKeyPath.isEmpty();
        if (keyStore == pem) {
            throw new ConfigException(KEY_STORE_PATH, keyStorePath, "with TLS enabled, give either a key store or "
                    + CERTIFICATE_PATH + " and " + PRIVATE_KEY_PATH + ", not both and not neither");
        }
        if (pem && (certificatePath.isEmpty() || privateKeyPath.isEmpty())) {
            throw new ConfigException(CERTIFICATE_PATH, certificatePath, "PEM needs both " + CERTIFICATE_PATH
                    + " and " + PRIVATE_KEY_PATH);
        }
        if (clientCertificateRequired && clientCaPath.isEmpty()) {
            throw new ConfigException(CLIENT_CA_PATH, clientCaPath, "mutual TLS needs the CA that issues client certificates");
        }
    }

    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(ENABLED, ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.HIGH,
                        "Serve HTTPS (TLS 1.2 and 1.3 only). Off by default for the embedded demo on loopback; "
                                + "turn it on wherever requests cross a network.")
                .define(KEY_STORE_PATH, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                        "Server key store, PKCS#12 (.p12, .pfx) or JKS (.jks); or use the PEM pair instead.")
                .define(KEY_STORE_PASSWORD, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                        "Password of the key store.")
                .define(CERTIFICATE_PATH, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                        "Server certificate chain, PEM, the server's own certificate first.")
                .define(PRIVATE_KEY_PATH, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                        "Server private key, PEM: PKCS#8, PKCS#1 (RSA) or SEC 1 (EC).")
                .define(CLIENT_AUTH, ConfigDef.Type.STRING, CLIENT_AUTH_NONE,
                        ConfigDef.ValidString.in(CLIENT_AUTH_NONE, CLIENT_AUTH_REQUIRED), ConfigDef.Importance.MEDIUM,
                        "Mutual TLS: none, or required (every client presents a certificate issued by the client CA "
                                + "and bound to the API key it signs with).")
                .define(CLIENT_CA_PATH, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "CA certificates (PEM) that issue client certificates, for mutual TLS.");
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean clientCertificateRequired() {
        return clientCertificateRequired;
    }

    /** Puts TLS on {@code options} when enabled; leaves them plain otherwise. */
    public HttpServerOptions applyTo(HttpServerOptions options) {
        if (!enabled) {
            return options;
        }
        options.setSsl(true).setEnabledSecureTransportProtocols(PROTOCOLS);
        if (keyStorePath.isEmpty()) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificatePath).setKeyPath(privateKeyPath));
        } else if (keyStorePath.toLowerCase(Locale.ROOT).endsWith(".jks")) {
            options.setKeyCertOptions(new JksOptions().setPath(keyStorePath).setPassword(keyStorePassword));
        } else {
            options.setKeyCertOptions(new PfxOptions().setPath(keyStorePath).setPassword(keyStorePassword));
        }
        if (clientCertificateRequired) {
            options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCaPath));
        }
        return options;
    }

    @Override
    public String toString() {
        return "TlsSettings[enabled=" + enabled + ", clientCertificateRequired=" + clientCertificateRequired + "]";
    }
}
