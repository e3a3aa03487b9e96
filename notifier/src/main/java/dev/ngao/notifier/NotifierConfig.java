package dev.ngao.notifier;

import dev.ngao.platform.auth.SignedRequestSettings;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Configuration of the notifier: its own keys plus the shared Kafka keys, read from NGAO_* variables. */
public final class NotifierConfig extends AbstractConfig {

    /** Every key of this service starts so; its variables start with NGAO_NOTIFIER_. */
    static final String PREFIX = "notifier.";

    public static final String DATA_DIR = PREFIX + "data.dir";
    public static final String HTTP_HOST = PREFIX + "http.host";
    public static final String HTTP_PORT = PREFIX + "http.port";
    public static final String GROUP_ID = PREFIX + "group.id";
    public static final String POLL_TIMEOUT_MS = PREFIX + "poll.timeout.ms";
    public static final String MERCHANTS = PREFIX + "merchants";
    public static final String MERCHANT_SECRETS = PREFIX + "merchant.secrets";
    public static final String DELIVERY_TIMEOUT_MS = PREFIX + "delivery.timeout.ms";
    public static final String DELIVERY_CONNECT_TIMEOUT_MS = PREFIX + "delivery.connect.timeout.ms";
    public static final String DELIVERY_MAX_IN_FLIGHT = PREFIX + "delivery.max.in.flight";
    public static final String DISPATCH_INTERVAL_MS = PREFIX + "dispatch.interval.ms";
    public static final String RETRY_INITIAL_BACKOFF_MS = PREFIX + "retry.initial.backoff.ms";
    public static final String RETRY_MAX_BACKOFF_MS = PREFIX + "retry.max.backoff.ms";
    public static final String RETRY_GIVE_UP_HOURS = PREFIX + "retry.give.up.hours";
    public static final String FACTS_RETENTION_DAYS = PREFIX + "facts.retention.days";
    /** The master key of the API key secrets (same value as ingest's), for the signed-request guard. */
    public static final String KEYS_MASTER_KEY = PREFIX + SignedRequestSettings.MASTER_KEY;

    /** Merchants beyond this many are a configuration mistake, not a deployment. */
    static final int MAX_MERCHANTS = 10_000;
    /** Two secrets while a merchant rotates; a few more leave room for a slow rollout, not for a key ring. */
    static final int MAX_SECRETS_PER_MERCHANT = 4;

    /** Signed requests: the API keys' master key and the guard's settings, under notifier. */
    public static final ConfigDef DEFINITION = SignedRequestSettings.define(KafkaSettings.define(new ConfigDef()
            .define(DATA_DIR, ConfigDef.Type.STRING, "data/notifier", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Directory of the notifier's RocksDB database: the delivery log, pending deliveries and their "
                            + "schedule, and the transactions' merchant references. Keep it on a persistent volume: "
                            + "pending deliveries and de-duplication live there.")
            .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Interface the delivery log API listens on.")
            .define(HTTP_PORT, ConfigDef.Type.INT, 8086, ConfigDef.Range.between(0, 65_535),
                    ConfigDef.Importance.MEDIUM, "Port of the delivery log API; 0 takes any free port.")
            .define(GROUP_ID, ConfigDef.Type.STRING, "ngao-notifier", new NonBlank(), ConfigDef.Importance.MEDIUM,
                    "Consumer group prefix; the consumers of payments.requests, risk.decisions and providers.events "
                            + "append -requests, -decisions and -provider-events. Offsets are committed once what a "
                            + "batch called for is written to the database.")
            .define(POLL_TIMEOUT_MS, ConfigDef.Type.LONG, 200L, ConfigDef.Range.between(10, 10_000),
                    ConfigDef.Importance.LOW,
                    "Longest wait of one poll of each input topic; bounds how long stopping takes.")
            .define(MERCHANTS, ConfigDef.Type.LIST, "", ConfigDef.Importance.HIGH,
                    "Merchant webhook endpoints, comma-separated MERCHANT_ID=URL (http or https). A final status "
                            + "of a merchant not listed is logged as NO_ENDPOINT and not sent.")
            .define(MERCHANT_SECRETS, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                    "Signing secrets, comma-separated MERCHANT_ID=SECRET[ SECRET...]: each secret whsec_ and the "
                            + "base64 of 24 to 64 random bytes, 1 to 4 per merchant (every one signs, so a merchant "
                            + "can rotate). Every merchant of notifier.merchants needs its secrets.")
            .define(DELIVERY_TIMEOUT_MS, ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.between(100, 120_000),
                    ConfigDef.Importance.MEDIUM,
                    "Longest wait for a merchant's answer to one delivery attempt, connection included; past it the "
                            + "attempt failed and is retried.")
            .define(DELIVERY_CONNECT_TIMEOUT_MS, ConfigDef.Type.INT, 5_000, ConfigDef.Range.between(100, 60_000),
                    ConfigDef.Importance.LOW, "Longest wait for a connection to a merchant's endpoint to open.")
            .define(DELIVERY_MAX_IN_FLIGHT, ConfigDef.Type.INT, 32, ConfigDef.Range.between(1, 1_000),
                    ConfigDef.Importance.LOW,
                    "Delivery attempts under way at once, over every merchant; due deliveries beyond it wait.")
            .define(DISPATCH_INTERVAL_MS, ConfigDef.Type.LONG, 250L, ConfigDef.Range.between(10, 60_000),
                    ConfigDef.Importance.LOW, "Period of the scan for deliveries whose attempt is due.")
            .define(RETRY_INITIAL_BACKOFF_MS, ConfigDef.Type.LONG, 5_000L, ConfigDef.Range.between(1, 3_600_000),
                    ConfigDef.Importance.MEDIUM,
                    "Backoff base: after failed attempt n the next waits a uniform draw between 0 and "
                            + "base * 2^(n-1) (full jitter), at most notifier.retry.max.backoff.ms.")
            .define(RETRY_MAX_BACKOFF_MS, ConfigDef.Type.LONG, 3_600_000L, ConfigDef.Range.between(1, 86_400_000),
                    ConfigDef.Importance.MEDIUM, "Longest wait between two attempts of one delivery.")
            .define(RETRY_GIVE_UP_HOURS, ConfigDef.Type.INT, 72, ConfigDef.Range.between(1, 720),
                    ConfigDef.Importance.MEDIUM,
                    "How long after its first attempt a delivery is retried; the last attempt is made at this "
                            + "deadline and, if it fails too, the delivery is recorded GAVE_UP.")
            .define(FACTS_RETENTION_DAYS, ConfigDef.Type.INT, 35, ConfigDef.Range.between(1, 3_650),
                    ConfigDef.Importance.LOW,
                    "How long a payment request's merchant, reference, type and amount are kept for the final "
                            + "status that may follow it; at least payments.requests' retention (30 days).")), PREFIX);

    private final Map<String, MerchantEndpoint> merchants;
    private final SignedRequestSettings signedRequests;

    public NotifierConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.merchants = parseMerchants(getList(MERCHANTS), getPassword(MERCHANT_SECRETS).value());
        this.signedRequests = new SignedRequestSettings(this, PREFIX);
    }

    /** The guard's settings: master key of the API key secrets, tolerance, nonces, proxies, environment. */
    public SignedRequestSettings signedRequests() {
        return signedRequests;
    }

    /**
     * Reads and validates the configuration from {@code environment}.
     *
     * @throws dev.ngao.platform.config.InvalidConfigurationException naming the offending key and variable
     */
    public static NotifierConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, NotifierConfig::new);
    }

    private static Map<String, MerchantEndpoint> parseMerchants(List<String> urls, String secretsText) {
        Map<String, List<WebhookSecret>> secrets = parseSecrets(secretsText);
        Map<String, MerchantEndpoint> endpoints = new LinkedHashMap<>();
        for (String entry : urls) {
            String[] parts = splitEntry(MERCHANTS, entry, "MERCHANT_ID=URL");
            String merchantId = parts[0];
            if (endpoints.containsKey(merchantId)) {
                throw new ConfigException(MERCHANTS + ": merchant " + merchantId + " is listed twice");
            }
            List<WebhookSecret> merchantSecrets = secrets.get(merchantId);
            if (merchantSecrets == null) {
                throw new ConfigException(MERCHANT_SECRETS + ": merchant " + merchantId + " of " + MERCHANTS
                        + " has no secret");
            }
            endpoints.put(merchantId, new MerchantEndpoint(merchantId, parseUrl(merchantId, parts[1]),
                    merchantSecrets));
        }
        for (String merchantId : secrets.keySet()) {
            if (!endpoints.containsKey(merchantId)) {
                throw new ConfigException(MERCHANT_SECRETS + ": merchant " + merchantId + " has secrets but no URL in "
                        + MERCHANTS);
            }
        }
        if (endpoints.size() > MAX_MERCHANTS) {
            throw new ConfigException(MERCHANTS + ": at most " + MAX_MERCHANTS + " merchants");
        }
        return Map.copyOf(endpoints);
    }

    /** The messages name merchants and positions, never a secret. */
    private static Map<String, List<WebhookSecret>> parseSecrets(String text) {
        Map<String, List<WebhookSecret>> secrets = new LinkedHashMap<>();
        if (text.isBlank()) {
            return secrets;
        }
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = splitEntry(MERCHANT_SECRETS, entry.trim(), "MERCHANT_ID=SECRET[ SECRET...]");
            String merchantId = parts[0];
            if (secrets.containsKey(merchantId)) {
                throw new ConfigException(MERCHANT_SECRETS + ": merchant " + merchantId + " is listed twice");
            }
            String[] texts = parts[1].trim().split("\\s+");
            if (texts.length > MAX_SECRETS_PER_MERCHANT) {
                throw new ConfigException(MERCHANT_SECRETS + ": merchant " + merchantId + " has " + texts.length
                        + " secrets; at most " + MAX_SECRETS_PER_MERCHANT);
            }
            List<WebhookSecret> parsed = new ArrayList<>();
            for (int index = 0; index < texts.length; index++) {
                try {
                    parsed.add(WebhookSecret.parse(texts[index]));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(MERCHANT_SECRETS + ": secret " + (index + 1) + " of merchant "
                            + merchantId + ": " + e.getMessage());
                }
            }
            secrets.put(merchantId, List.copyOf(parsed));
        }
        return secrets;
    }

    private static String[] splitEntry(String key, String entry, String form) {
        int equals = entry.indexOf('=');
        if (equals <= 0 || equals == entry.length() - 1) {
            // The entry may hold a secret: the message shows the expected form, not the entry.
            throw new ConfigException(key + ": each entry is " + form);
        }
        return new String[]{entry.substring(0, equals).trim(), entry.substring(equals + 1).trim()};
    }

    private static URI parseUrl(String merchantId, String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(MERCHANTS + ": the URL of merchant " + merchantId + " is malformed: "
                    + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(MERCHANTS + ": the URL of merchant " + merchantId + " must be http or https");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new ConfigException(MERCHANTS + ": the URL of merchant " + merchantId + " has no host");
        }
        if (url.getUserInfo() != null) {
            throw new ConfigException(MERCHANTS + ": the URL of merchant " + merchantId
                    + " must not carry credentials; the signature authenticates the notifier");
        }
        return url;
    }

    public Path dataDirectory() {
        return Path.of(getString(DATA_DIR));
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public String groupId() {
        return getString(GROUP_ID);
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    /** The configured merchants by id. */
    public Map<String, MerchantEndpoint> merchants() {
        return merchants;
    }

    public Duration deliveryTimeout() {
        return Duration.ofMillis(getLong(DELIVERY_TIMEOUT_MS));
    }

    public int deliveryConnectTimeoutMs() {
        return getInt(DELIVERY_CONNECT_TIMEOUT_MS);
    }

    public int deliveryMaxInFlight() {
        return getInt(DELIVERY_MAX_IN_FLIGHT);
    }

    public Duration dispatchInterval() {
        return Duration.ofMillis(getLong(DISPATCH_INTERVAL_MS));
    }

    public RetrySchedule retrySchedule() {
        return new RetrySchedule(Duration.ofMillis(getLong(RETRY_INITIAL_BACKOFF_MS)),
                Duration.ofMillis(getLong(RETRY_MAX_BACKOFF_MS)), Duration.ofHours(getInt(RETRY_GIVE_UP_HOURS)));
    }

    public Duration factsRetention() {
        return Duration.ofDays(getInt(FACTS_RETENTION_DAYS));
    }
}
