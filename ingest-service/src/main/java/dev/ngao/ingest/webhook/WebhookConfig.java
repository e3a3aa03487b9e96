package dev.ngao.ingest.webhook;

import dev.ngao.platform.webhook.CardNetworkSignature;
import dev.ngao.platform.webhook.MobileMoneyHubSignature;
import dev.ngao.platform.webhook.PagoEfectivoSignature;
import dev.ngao.platform.webhook.WebhookSignatureScheme;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook keys of ingest-service: per provider its secrets (comma-separated, several while it
 * rotates) and its timestamp tolerance. Key names: {@code ingest.webhooks.<provider>.secrets} and
 * {@code ingest.webhooks.<provider>.tolerance.seconds}.
 */
public final class WebhookConfig {

    public static final int MINIMUM_SECRET_LENGTH = 24;
    public static final int MAXIMUM_SECRETS = 4;

    /** The providers Ngao takes webhooks from, with their configuration name and path. */
    public enum Provider {
        MOBILE_MONEY("mobilemoney", "/webhooks/mobile-money", new MobileMoneyHubSignature(), new MobileMoneyHubPayload()),
        PAGOEFECTIVO("pagoefectivo", "/webhooks/pagoefectivo", new PagoEfectivoSignature(), new PagoEfectivoPayload()),
        CARD_NETWORK("cardnetwork", "/webhooks/card-network", new CardNetworkSignature(), new CardNetworkPayload());

        private final String configName;
        private final String path;
        private final WebhookSignatureScheme scheme;
        private final ProviderPayload payload;

        Provider(String configName, String path, WebhookSignatureScheme scheme, ProviderPayload payload) {
            this.configName = configName;
            this.path = path;
            this.scheme = scheme;
            this.payload = payload;
        }

        public String secretsKey() {
            return "ingest.webhooks." + configName + ".secrets";
        }

        public String toleranceKey() {
            return "ingest.webhooks." + configName + ".tolerance.seconds";
        }

        public String path() {
            return path;
        }

        public WebhookSignatureScheme scheme() {
            return scheme;
        }
    }

    private WebhookConfig() {
    }

    /** Adds the webhook keys to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        for (Provider provider : Provider.values()) {
            definition.define(provider.secretsKey(), ConfigDef.Type.PASSWORD, "", new SecretsValidator(),
                    ConfigDef.Importance.HIGH, "Secrets that sign the webhooks of " + provider.scheme.provider()
                            + ", comma-separated: 1 to " + MAXIMUM_SECRETS + " of at least " + MINIMUM_SECRET_LENGTH
                            + " characters (two while the provider rotates). Empty: every call to "
                            + provider.path + " is refused.");
            definition.define(provider.toleranceKey(), ConfigDef.Type.INT, 300, ConfigDef.Range.between(1, 3_600),
                    ConfigDef.Importance.MEDIUM, "How many seconds the signed timestamp of a "
                            + provider.scheme.provider() + " webhook may be from now, either way; beyond it the call "
                            + "is refused as stale.");
        }
        return definition;
    }

    public static List<WebhookEndpoint> endpoints(AbstractConfig config) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            endpoints.add(new WebhookEndpoint(provider.path, provider.scheme,
                    parseSecrets(config.getPassword(provider.secretsKey()).value()),
                    Duration.ofSeconds(config.getInt(provider.toleranceKey())), provider.payload));
        }
        return endpoints;
    }

    /**
     * The secrets of {@code text}; empty text gives none.
     *
     * @throws IllegalArgumentException with a message that quotes no secret
     */
    public static List<byte[]> parseSecrets(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String[] entries = text.split(",", -1);
        if (entries.length > MAXIMUM_SECRETS) {
            throw new IllegalArgumentException("at most " + MAXIMUM_SECRETS + " secrets");
        }
        List<byte[]> secrets = new ArrayList<>();
        for (int index = 0; index < entries.length; index++) {
            String secret = entries[index].trim();
            if (secret.length() < MINIMUM_SECRET_LENGTH) {
                throw new IllegalArgumentException("secret " + (index + 1) + " is shorter than "
                        + MINIMUM_SECRET_LENGTH + " characters");
            }
            secrets.add(secret.getBytes(StandardCharsets.UTF_8));
        }
        return secrets;
    }

    private static final class SecretsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                parseSecrets(value == null ? "" : ((Password) value).value());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "secret[,secret...]";
        }
    }
}
