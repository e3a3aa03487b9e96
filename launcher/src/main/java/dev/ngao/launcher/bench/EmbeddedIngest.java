package dev.ngao.launcher.bench;

import dev.ngao.ingest.IngestConfig;
import dev.ngao.ingest.IngestService;
import dev.ngao.ingest.auth.AuthSettings;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.ingest.auth.KeyAdministration;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.launcher.EmbeddedKafkaBroker;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What the ingest benchmarks measure: a real KRaft broker in this JVM, the ingest service as the embedded
 * mode runs it, and one API key allowed from loopback. The door's rate limit is lifted: it would cap the
 * measurement, not describe it.
 */
final class EmbeddedIngest implements AutoCloseable {

    static final String KEY_ID = "bench";
    static final String SECRET = "benchmark-secret-0123456789abcdef";
    static final String MERCHANT_ID = "merchant-bench";

    private final EmbeddedKafkaBroker broker;
    private final KafkaContext kafka;
    private final IngestService ingest;

    private EmbeddedIngest(EmbeddedKafkaBroker broker, KafkaContext kafka, IngestService ingest) {
        this.broker = broker;
        this.kafka = kafka;
        this.ingest = ingest;
    }

    /** Starts the broker, creates the key, starts ingest; returns once it listens. */
    static EmbeddedIngest start() throws Exception {
        Path data = Files.createTempDirectory("ngao-bench");
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(data.resolve("kafka"), portBelowEphemeralRange(),
                portBelowEphemeralRange());
        KafkaContext kafka = null;
        IngestService ingest = null;
        try {
            broker.start();
            Map<String, String> environment = environment(broker.bootstrapServers());
            IngestConfig config = IngestConfig.fromEnvironment(environment);
            kafka = KafkaContext.connect(new KafkaSettings(EnvironmentConfig.select(KafkaSettings.DEFINITION, environment)));
            createKey(kafka, config);
            ingest = new IngestService(config, kafka);
            ingest.start();
            return new EmbeddedIngest(broker, kafka, ingest);
        } catch (Exception e) {
            closeAll(ingest, kafka, broker);
            throw e;
        }
    }

    /**
     * A free port below the kernel's ephemeral range (32768 and up on Linux). Other benchmarks on the same
     * machine take ephemeral ports for their own brokers; when one restarts its broker, its clients keep
     * calling the old port, and a broker of ours that took that port would serve them (seen: another
     * benchmark's transactional producers writing to this broker). Below the range, no such port is ours.
     */
    static int portBelowEphemeralRange() {
        SplittableRandom random = new SplittableRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // Taken: try another.
            }
        }
        return EmbeddedKafkaBroker.freePort();
    }

    private static Map<String, String> environment(String bootstrapServers) {
        Map<String, String> environment = new HashMap<>();
        environment.put(EnvironmentConfig.variableName(KafkaSettings.BOOTSTRAP_SERVERS), bootstrapServers);
        environment.put(EnvironmentConfig.variableName(IngestConfig.HTTP_PORT), "0");
        environment.put(EnvironmentConfig.variableName(IngestConfig.PII_PEPPER), "benchmark-pepper-0123456789");
        environment.put(EnvironmentConfig.variableName(AuthSettings.MASTER_KEY),
                Base64.getEncoder().encodeToString(new byte[32]));
        environment.put(EnvironmentConfig.variableName(AuthSettings.RATE_LIMITS), "* /v1/payments* 1000000/1s");
        return environment;
    }

    private static void createKey(KafkaContext kafka, IngestConfig config) throws Exception {
        try (KafkaKeyStore store = new KafkaKeyStore(kafka, new SecretCipher(config.auth().masterKey(),
                new SecureRandom()), "ngao-bench-keys").start()) {
            new KeyAdministration(store, Clock.systemUTC(), new SecureRandom()).create(new KeyAdministration.NewKey(
                    KEY_ID, MERCHANT_ID, Environment.SANDBOX, Set.of(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ),
                    List.of(CidrBlock.parse("127.0.0.0/8")), Set.of(), Duration.ofDays(1)), SECRET);
        }
    }

    /** {@code POST /v1/payments} of the running service. */
    URI paymentsUri() {
        return URI.create("http://127.0.0.1:" + ingest.httpPort() + "/v1/payments");
    }

    @Override
    public void close() {
        closeAll(ingest, kafka, broker);
    }

    private static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("Cannot close " + resource.getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
