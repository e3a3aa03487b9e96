package dev.ngao.schemas.registry;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.Map;

/**
 * Schema registry client settings under Confluent's own key names, so a configuration written for
 * Confluent's serializers works unchanged.
 */
public final class SchemaRegistryConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    /** Where the embedded store's Kafka cluster is; only read when the URL is {@value #EMBEDDED}. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    /** URL value selecting the embedded store: a compacted topic on the cluster itself. */
    public static final String EMBEDDED = "embedded";
    /** URL prefix selecting an in-JVM registry shared per scope, as Confluent's {@code mock://}. */
    public static final String MOCK_PREFIX = "mock://";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, ConfigDef.Type.LIST, EMBEDDED, ConfigDef.Importance.HIGH,
                    "Confluent-compatible registry URL(s), comma-separated (tried in order); 'embedded' keeps "
                            + "schemas in a compacted topic on the Kafka cluster; 'mock://<scope>' keeps them in "
                            + "this JVM (tests).")
            .define(AUTO_REGISTER_SCHEMAS, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                    "Register a record's schema on first write; when false the schema must already be registered.")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, ConfigDef.Type.STRING, "",
                    ConfigDef.ValidString.in("", "USER_INFO"), ConfigDef.Importance.LOW,
                    "'USER_INFO' to send HTTP basic credentials from basic.auth.user.info.")
            .define(BASIC_AUTH_USER_INFO, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.LOW,
                    "'user:password' for HTTP basic authentication to the registry.")
            .define(REQUEST_TIMEOUT_MS, ConfigDef.Type.INT, 10_000, ConfigDef.Range.between(100, 300_000),
                    ConfigDef.Importance.LOW, "Timeout of one registry call, in milliseconds.")
            .define(BOOTSTRAP_SERVERS, ConfigDef.Type.STRING, "localhost:9092", ConfigDef.Importance.MEDIUM,
                    "Kafka cluster holding the embedded schema store.");

    public SchemaRegistryConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public String url() {
        return String.join(",", getList(SCHEMA_REGISTRY_URL));
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }
}
