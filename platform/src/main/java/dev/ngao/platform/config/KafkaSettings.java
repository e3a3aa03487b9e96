package dev.ngao.platform.config;

import dev.ngao.schemas.registry.SchemaRegistryConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The Kafka and schema registry keys every service shares. */
public final class KafkaSettings extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String REPLICATION_FACTOR = "kafka.replication.factor";
    public static final String CREATE_TOPICS = "kafka.create.topics";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String PRODUCER_COMPRESSION_TYPE = "kafka.producer.compression.type";
    /** Kafka's codecs, as a producer's {@code compression.type} names them. */
    public static final List<String> COMPRESSION_TYPES = List.of("none", "gzip", "snappy", "lz4", "zstd");
    /** lz4: cheap to compress and decompress, and built into the Java, librdkafka and Go clients. */
    public static final String DEFAULT_COMPRESSION_TYPE = "lz4";

    public static final ConfigDef DEFINITION = define(new ConfigDef());

    public KafkaSettings(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** Adds the shared keys to a service's own definition. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(BOOTSTRAP_SERVERS, ConfigDef.Type.STRING, "localhost:9092", new NonBlank(),
                        ConfigDef.Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port].")
                .define(REPLICATION_FACTOR, ConfigDef.Type.SHORT, (short) -1,
                        ConfigDef.Range.between(-1, 7), ConfigDef.Importance.MEDIUM,
                        "Replication factor of topics Ngao creates; -1 takes the broker's default.replication.factor.")
                .define(CREATE_TOPICS, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.LOW,
                        "Create missing topics from their definitions at start.")
                .define(SCHEMA_REGISTRY_URL, ConfigDef.Type.STRING, SchemaRegistryConfig.EMBEDDED, new NonBlank(),
                        ConfigDef.Importance.HIGH,
                        "Confluent-compatible schema registry URL(s), or 'embedded' to keep schemas in a compacted "
                                + "topic of the cluster.")
                .define(AUTO_REGISTER_SCHEMAS, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                        "Register event schemas on first write (Confluent's auto.register.schemas).")
                .define(SCHEMA_REGISTRY_USER_INFO, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.LOW,
                        "user:password for HTTP basic authentication to the schema registry; empty for none.")
                .define(PRODUCER_COMPRESSION_TYPE, ConfigDef.Type.STRING, DEFAULT_COMPRESSION_TYPE,
                        ConfigDef.ValidString.in(COMPRESSION_TYPES.toArray(String[]::new)), ConfigDef.Importance.LOW,
                        "Compression of the records the services' plain producers write (among them ingest's "
                                + "audit trail, ledger-service's entries and audit, the reconciler's breaks, status "
                                + "queries, health and submission results); one of " + String.join(", ", COMPRESSION_TYPES) + ". Every reader "
                                + "of those topics needs the codec: lz4 is built into the Java, librdkafka and Go "
                                + "clients, kafkajs needs a codec plugin for it (gzip it reads as is). Ingest's "
                                + "request path (payments.requests, providers.events, cards, lists, rule sets) and "
                                + "Kafka Streams' outputs (risk.decisions...) are written uncompressed whatever this "
                                + "says.");
    }

    public static KafkaSettings from(AbstractConfig serviceConfig) {
        return new KafkaSettings(serviceConfig.originals());
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    public short replicationFactor() {
        return getShort(REPLICATION_FACTOR);
    }

    public boolean createTopics() {
        return getBoolean(CREATE_TOPICS);
    }

    /** The {@code compression.type} of the services' plain producers. */
    public String producerCompressionType() {
        return getString(PRODUCER_COMPRESSION_TYPE);
    }

    /** The settings in Confluent's key names, for the schema registry client. */
    public SchemaRegistryConfig schemaRegistryConfig() {
        Map<String, Object> registry = new HashMap<>();
        registry.put(SchemaRegistryConfig.SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
        registry.put(SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS, getBoolean(AUTO_REGISTER_SCHEMAS));
        registry.put(SchemaRegistryConfig.BOOTSTRAP_SERVERS, bootstrapServers());
        String userInfo = getPassword(SCHEMA_REGISTRY_USER_INFO).value();
        if (!userInfo.isEmpty()) {
            registry.put(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            registry.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        return new SchemaRegistryConfig(registry);
    }
}
