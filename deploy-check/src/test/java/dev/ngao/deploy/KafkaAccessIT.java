package dev.ngao.deploy;

import dev.ngao.deploy.access.KafkaAccess;
import dev.ngao.deploy.access.KafkaAcl;
import dev.ngao.deploy.access.ServicePrincipal;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compose broker's security, for real: a KRaft node in this JVM with docker-compose.yml's listeners
 * (PLAINTEXT on loopback for itself and the setup, SASL_SSL for the services), TLS material made by
 * deploy/docker/kafka-tls.sh, the SCRAM users and the ACLs KafkaAccess derives from Topics, and clients built
 * by KafkaClients from the services' NGAO_KAFKA_* security settings.
 */
class KafkaAccessIT {

    private static final String KEYSTORE_PASSWORD = "0123456789abcdef";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;
    private static KafkaRaftServer server;
    private static int localPort;
    private static int servicesPort;
    private static Path caCertificate;

    @BeforeAll
    static void startBrokerAndGrantEveryService() throws Exception {
        Path secrets = directory.resolve("secrets");
        Path ca = directory.resolve("ca");
        makeTls(secrets, ca);
        caCertificate = ca.resolve("ca.crt");
        localPort = freePort();
        servicesPort = freePort();
        int controllerPort = freePort();
        Path logDirectory = Files.createDirectories(directory.resolve("kafka"));

        Properties properties = new Properties();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("listeners", "LOCAL://127.0.0.1:" + localPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                + ",SERVICES://localhost:" + servicesPort);
        properties.put("advertised.listeners", "LOCAL://127.0.0.1:" + localPort + ",SERVICES://localhost:" + servicesPort);
        properties.put("listener.security.protocol.map", "LOCAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SERVICES:SASL_SSL");
        properties.put("inter.broker.listener.name", "LOCAL");
        properties.put("sasl.enabled.mechanisms", KafkaAccess.SCRAM_MECHANISM);
        // What deploy/docker/kafka-server-jaas.conf says, for this listener only (no JVM-wide JAAS file in a test).
        properties.put("listener.name.services.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        properties.put("ssl.keystore.location", secrets.resolve("kafka.keystore.p12").toString());
        properties.put("ssl.keystore.type", "PKCS12");
        properties.put("ssl.keystore.password", KEYSTORE_PASSWORD);
        properties.put("ssl.key.password", KEYSTORE_PASSWORD);
        properties.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        properties.put("super.users", "User:ANONYMOUS");
        properties.put("allow.everyone.if.no.acl.found", "false");
        properties.put("log.dirs", logDirectory.toString());
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        properties.put("auto.create.topics.enable", "false");
        new Formatter()
                .setPrintStream(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDirectory.toString()))
                .setMetadataLogDirectory(logDirectory.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        server.startup();

        // What kafka-setup.sh does, through the loopback listener: topics, users, ACLs.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + localPort))) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.ALL) {
                topics.add(new NewTopic(topic.name(), 1, (short) 1));
            }
            admin.createTopics(topics).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (ServicePrincipal principal : ServicePrincipal.values()) {
                users.add(new UserScramCredentialUpsertion(principal.userName,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password(principal)));
                for (KafkaAcl acl : KafkaAccess.acls(principal)) {
                    acls.addAll(bindings(principal.userName, acl));
                }
            }
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    @Test
    void shouldLetTheLedgerWriteItsOwnTopicOverSaslSslAndRefuseAnotherServicesTopic() throws Exception {
        // Given the ledger's client settings as compose gives them (a password file, the CA of kafka-tls.sh)
        KafkaSettings ledger = settings(ServicePrincipal.LEDGER, password(ServicePrincipal.LEDGER));

        try (KafkaProducer<String, String> producer = producer(ledger)) {
            // When it writes a journal entry, it is acknowledged
            assertThat(producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), "k", "v"))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);

            // When it writes a decision, risk-streams' topic, the broker refuses it
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), "k", "v"))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldLetTheConsoleReadWhatItShowsAndNothingElse() {
        KafkaSettings console = settings(ServicePrincipal.CONSOLE, password(ServicePrincipal.CONSOLE));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaClients.consumer(console, "it", null),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition decisions = new TopicPartition(Topics.RISK_DECISIONS.name(), 0);
            TopicPartition requests = new TopicPartition(Topics.PAYMENT_REQUESTS.name(), 0);

            assertThat(consumer.endOffsets(List.of(decisions), TIMEOUT)).containsKey(decisions);
            // the API keys, whose secrets sign each signed-in person's calls to ingest
            TopicPartition keys = new TopicPartition(Topics.API_KEYS.name(), 0);
            assertThat(consumer.endOffsets(List.of(keys), TIMEOUT)).containsKey(keys);
            // payments.requests carries MSISDNs: the console has no business there.
            assertThatThrownBy(() -> consumer.endOffsets(List.of(requests), TIMEOUT))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAServiceWithTheWrongPassword() {
        KafkaSettings forged = settings(ServicePrincipal.LEDGER, "not-the-password");
        try (KafkaProducer<String, String> producer = producer(forged)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), "k", "v"))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static KafkaSettings settings(ServicePrincipal principal, String password) {
        try {
            Path passwordFile = Files.writeString(Files.createTempFile(directory, principal.userName, ".password"),
                    password + "\n");
            Map<String, Object> originals = new HashMap<>();
            originals.put(KafkaSettings.BOOTSTRAP_SERVERS, "localhost:" + servicesPort);
            originals.put(KafkaSettings.SECURITY_PROTOCOL, "SASL_SSL");
            originals.put(KafkaSettings.SASL_USERNAME, principal.userName);
            originals.put(KafkaSettings.SASL_PASSWORD_FILE, passwordFile.toString());
            originals.put(KafkaSettings.SSL_TRUSTSTORE_LOCATION, caCertificate.toString());
            return new KafkaSettings(originals);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static KafkaProducer<String, String> producer(KafkaSettings settings) {
        Map<String, Object> config = KafkaClients.producer(settings, "it");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static String password(ServicePrincipal principal) {
        return "password-of-" + principal.userName;
    }

    /** A KafkaAcl as the broker's bindings: one per operation. */
    private static List<AclBinding> bindings(String user, KafkaAcl acl) {
        ResourceType type = switch (acl.resourceType()) {
            case TOPIC -> ResourceType.TOPIC;
            case GROUP -> ResourceType.GROUP;
            case TRANSACTIONAL_ID -> ResourceType.TRANSACTIONAL_ID;
            case CLUSTER -> ResourceType.CLUSTER;
        };
        ResourcePattern pattern = new ResourcePattern(type, acl.name(),
                acl.prefixed() ? PatternType.PREFIXED : PatternType.LITERAL);
        List<AclBinding> bindings = new ArrayList<>();
        for (String operation : acl.operations()) {
            // IdempotentWrite -> IDEMPOTENT_WRITE
            AclOperation parsed = AclOperation.fromString(
                    operation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
            assertThat(parsed).as(operation).isNotEqualTo(AclOperation.UNKNOWN);
            bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", parsed, AclPermissionType.ALLOW)));
        }
        return bindings;
    }

    /** deploy/docker/kafka-tls.sh, as the kafka-tls container runs it, into temporary directories. */
    private static void makeTls(Path secrets, Path ca) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", DeployFiles.DEPLOY.resolve("docker/kafka-tls.sh").toString())
                .redirectErrorStream(true);
        builder.environment().put("KAFKA_TLS_DIR", secrets.toString());
        builder.environment().put("KAFKA_CA_DIR", ca.toString());
        builder.environment().put("KAFKA_TLS_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD);
        builder.environment().put("KAFKA_BROKER_USER", "no-such-user-" + Uuid.randomUuid());
        // keytool of the JDK running the test
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + builder.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
