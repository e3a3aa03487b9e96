package dev.ngao.platform.config;

import dev.ngao.schemas.registry.SchemaRegistryConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kafka and schema registry keys every service shares.
 *
 * <p>The connection's security is explicit and checked as a whole at start: PLAINTEXT (the embedded broker on
 * loopback, local development), or SASL_SSL with a SCRAM user and the CA that signed the brokers' certificate
 * (docker-compose.yml, Strimzi), or SSL alone. A setup that is half there (a password without SASL_SSL,
 * SASL_SSL without a user) is refused with the variable to fix, never run in clear. The password is a
 * {@code Password} from the first read to the client: its {@code toString()} is {@code [hidden]}.
 */
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
    public static final String SECURITY_PROTOCOL = "kafka.security.protocol";
    public static final String SASL_MECHANISM = "kafka.sasl.mechanism";
    public static final String SASL_USERNAME = "kafka.sasl.username";
    public static final String SASL_PASSWORD = "kafka.sasl.password";
    public static final String SASL_PASSWORD_FILE = "kafka.sasl.password.file";
    public static final String SSL_TRUSTSTORE_LOCATION = "kafka.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_TYPE = "kafka.ssl.truststore.type";
    public static final String SSL_TRUSTSTORE_PASSWORD = "kafka.ssl.truststore.password";
    public static final String PLAINTEXT = "PLAINTEXT";
    public static final String SSL = "SSL";
    public static final String SASL_SSL = "SASL_SSL";
    /** SASL_PLAINTEXT is left out on purpose: it would send the SCRAM exchange and every record in clear. */
    public static final List<String> SECURITY_PROTOCOLS = List.of(PLAINTEXT, SSL, SASL_SSL);
    public static final List<String> SASL_MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256");
    public static final List<String> TRUSTSTORE_TYPES = List.of("PEM", "PKCS12", "JKS");
    /** A password file is one line; anything much longer is the wrong file. */
    static final int PASSWORD_FILE_MAX_BYTES = 4096;

    public static final ConfigDef DEFINITION = define(new ConfigDef());

    private final Map<String, Object> clientSecurity;

    public KafkaSettings(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.clientSecurity = Map.copyOf(buildClientSecurity());
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
                                + "says.")
                .define(SECURITY_PROTOCOL, ConfigDef.Type.STRING, PLAINTEXT,
                        ConfigDef.ValidString.in(SECURITY_PROTOCOLS.toArray(String[]::new)), ConfigDef.Importance.HIGH,
                        "Security of every Kafka connection: PLAINTEXT (the embedded broker on loopback, local "
                                + "development only), SASL_SSL (a SCRAM user over TLS: docker-compose.yml and "
                                + "Kubernetes), or SSL (TLS without SASL).")
                .define(SASL_MECHANISM, ConfigDef.Type.STRING, "SCRAM-SHA-512",
                        ConfigDef.ValidString.in(SASL_MECHANISMS.toArray(String[]::new)), ConfigDef.Importance.MEDIUM,
                        "SASL mechanism with SASL_SSL: SCRAM-SHA-512 (Strimzi's scram-sha-512) or SCRAM-SHA-256.")
                .define(SASL_USERNAME, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                        "The service's Kafka principal (SCRAM user) with SASL_SSL; required then, refused otherwise.")
                .define(SASL_PASSWORD, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                        "The SCRAM user's password with SASL_SSL; give it here or in "
                                + EnvironmentConfig.variableName(SASL_PASSWORD_FILE) + ", not both. Never logged.")
                .define(SASL_PASSWORD_FILE, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                        "A file holding the SCRAM user's password (a mounted Secret, e.g. the 'password' key of "
                                + "Strimzi's KafkaUser secret); read once at start, a trailing newline ignored.")
                .define(SSL_TRUSTSTORE_LOCATION, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "With SSL or SASL_SSL: the CA certificate(s) the brokers' certificate is checked against "
                                + "(ca.crt of Strimzi's cluster CA Secret, compose's kafka-ca volume); empty for "
                                + "the JVM's default trust store.")
                .define(SSL_TRUSTSTORE_TYPE, ConfigDef.Type.STRING, "PEM",
                        ConfigDef.ValidString.in(TRUSTSTORE_TYPES.toArray(String[]::new)), ConfigDef.Importance.LOW,
                        "Format of the trust store file: PEM (a ca.crt), PKCS12 or JKS.")
                .define(SSL_TRUSTSTORE_PASSWORD, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.LOW,
                        "Password of a PKCS12 or JKS trust store (Strimzi's ca.password); none with PEM.");
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

    public String securityProtocol() {
        return getString(SECURITY_PROTOCOL);
    }

    /**
     * The security properties every Kafka client of the service carries (admin, producers, consumers, Kafka
     * Streams): empty with PLAINTEXT; with SASL_SSL security.protocol, sasl.mechanism, sasl.jaas.config (a
     * {@code Password}, hidden in Kafka's own config logs) and the trust store.
     */
    public Map<String, Object> clientSecurity() {
        return clientSecurity;
    }

    private Map<String, Object> buildClientSecurity() {
        String protocol = securityProtocol();
        List<String> problems = new ArrayList<>();
        boolean sasl = SASL_SSL.equals(protocol);
        boolean tls = sasl || SSL.equals(protocol);
        if (!sasl) {
            for (String key : List.of(SASL_USERNAME, SASL_PASSWORD, SASL_PASSWORD_FILE)) {
                if (isSet(key)) {
                    problems.add(variable(key) + " is set but " + variable(SECURITY_PROTOCOL) + " is " + protocol
                            + ": set it to " + SASL_SSL + " or remove the SASL settings");
                }
            }
        }
        if (!tls) {
            for (String key : List.of(SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD)) {
                if (isSet(key)) {
                    problems.add(variable(key) + " is set but " + variable(SECURITY_PROTOCOL) + " is " + protocol
                            + ": set it to " + SASL_SSL + " (or " + SSL + ") or remove the trust store settings");
                }
            }
        }
        if (sasl) {
            if (!isSet(SASL_USERNAME)) {
                problems.add(variable(SASL_USERNAME) + " is required with " + SASL_SSL);
            }
            if (isSet(SASL_PASSWORD) == isSet(SASL_PASSWORD_FILE)) {
                problems.add("with " + SASL_SSL + " exactly one of " + variable(SASL_PASSWORD) + " and "
                        + variable(SASL_PASSWORD_FILE) + " is required, " + (isSet(SASL_PASSWORD) ? "both are" : "neither is")
                        + " set");
            }
        }
        if (tls && "PEM".equals(getString(SSL_TRUSTSTORE_TYPE)) && isSet(SSL_TRUSTSTORE_PASSWORD)) {
            problems.add(variable(SSL_TRUSTSTORE_PASSWORD) + " is for PKCS12 and JKS trust stores; a PEM one has none");
        }
        if (tls && isSet(SSL_TRUSTSTORE_LOCATION) && !Files.isReadable(Path.of(getString(SSL_TRUSTSTORE_LOCATION)))) {
            problems.add(variable(SSL_TRUSTSTORE_LOCATION) + " names no readable file: " + getString(SSL_TRUSTSTORE_LOCATION));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("Kafka security is half configured: " + String.join("; ", problems));
        }
        Map<String, Object> security = new HashMap<>();
        if (!tls) {
            return security;
        }
        security.put("security.protocol", protocol);
        if (isSet(SSL_TRUSTSTORE_LOCATION)) {
            security.put("ssl.truststore.location", getString(SSL_TRUSTSTORE_LOCATION));
            security.put("ssl.truststore.type", getString(SSL_TRUSTSTORE_TYPE));
            if (isSet(SSL_TRUSTSTORE_PASSWORD)) {
                security.put("ssl.truststore.password", getPassword(SSL_TRUSTSTORE_PASSWORD));
            }
        }
        // The broker's host name is checked against its certificate (Kafka's default, said explicitly).
        security.put("ssl.endpoint.identification.algorithm", "https");
        if (sasl) {
            security.put("sasl.mechanism", getString(SASL_MECHANISM));
            security.put("sasl.jaas.config", new Password("org.apache.kafka.common.security.scram.ScramLoginModule "
                    + "required username=\"" + jaasQuoted(getString(SASL_USERNAME)) + "\" password=\""
                    + jaasQuoted(saslPassword()) + "\";"));
        }
        return security;
    }

    private String saslPassword() {
        if (isSet(SASL_PASSWORD)) {
            return getPassword(SASL_PASSWORD).value();
        }
        Path file = Path.of(getString(SASL_PASSWORD_FILE));
        try {
            if (Files.size(file) > PASSWORD_FILE_MAX_BYTES) {
                throw new InvalidConfigurationException(variable(SASL_PASSWORD_FILE) + " names a file of more than "
                        + PASSWORD_FILE_MAX_BYTES + " bytes: " + file);
            }
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new InvalidConfigurationException(variable(SASL_PASSWORD_FILE) + " names an empty file: " + file);
            }
            return password;
        } catch (IOException e) {
            // The message names the file, never its content.
            throw new InvalidConfigurationException(variable(SASL_PASSWORD_FILE) + " cannot be read: " + file, e);
        }
    }

    private boolean isSet(String key) {
        Object value = get(key);
        String text = value instanceof Password password ? password.value() : String.valueOf(value);
        return !text.isBlank();
    }

    private static String variable(String key) {
        return EnvironmentConfig.variableName(key);
    }

    /** JAAS option values are double-quoted: a quote or backslash in them is escaped. */
    static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The settings in Confluent's key names, for the schema registry client. */
    public SchemaRegistryConfig schemaRegistryConfig() {
        Map<String, Object> registry = new HashMap<>();
        registry.put(SchemaRegistryConfig.SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
        registry.put(SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS, getBoolean(AUTO_REGISTER_SCHEMAS));
        registry.put(SchemaRegistryConfig.BOOTSTRAP_SERVERS, bootstrapServers());
        // The embedded store's own Kafka clients connect as this service does.
        registry.putAll(clientSecurity);
        String userInfo = getPassword(SCHEMA_REGISTRY_USER_INFO).value();
        if (!userInfo.isEmpty()) {
            registry.put(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            registry.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        return new SchemaRegistryConfig(registry);
    }
}
