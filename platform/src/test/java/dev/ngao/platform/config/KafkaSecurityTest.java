package dev.ngao.platform.config;

import dev.ngao.platform.kafka.KafkaClients;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSecurityTest {

    private static Map<String, Object> saslSsl(Path truststore) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(KafkaSettings.BOOTSTRAP_SERVERS, "kafka:9092");
        settings.put(KafkaSettings.SECURITY_PROTOCOL, "SASL_SSL");
        settings.put(KafkaSettings.SASL_USERNAME, "ledger-service");
        settings.put(KafkaSettings.SSL_TRUSTSTORE_LOCATION, truststore.toString());
        return settings;
    }

    private static Path caCertificate(Path directory) throws Exception {
        return Files.writeString(directory.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void shouldGiveEveryClientScramOverTlsWhenSaslSslIsConfiguredWithAPasswordFile(@TempDir Path directory)
            throws Exception {
        // Given a SCRAM user whose password is in a mounted file, and the cluster CA
        Path truststore = caCertificate(directory);
        Map<String, Object> originals = saslSsl(truststore);
        originals.put(KafkaSettings.SASL_PASSWORD_FILE,
                Files.writeString(directory.resolve("password"), "s3cret\n").toString());

        // When the clients' settings are built
        KafkaSettings settings = new KafkaSettings(originals);

        // Then admin, producers, consumers and Kafka Streams all speak SASL_SSL with SCRAM-SHA-512
        for (Map<String, Object> client : java.util.List.of(KafkaClients.admin(settings, "t"),
                KafkaClients.producer(settings, "t"), KafkaClients.consumer(settings, "t", "g"),
                KafkaClients.streams(settings, "app", directory))) {
            assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.location", truststore.toString())
                    .containsEntry("ssl.truststore.type", "PEM")
                    .containsEntry("ssl.endpoint.identification.algorithm", "https");
            Password jaas = (Password) client.get("sasl.jaas.config");
            assertThat(jaas.value()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"ledger-service\" password=\"s3cret\";");
            // A logged client config shows no secret.
            assertThat(client.toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void shouldEscapeQuotesInTheJaasConfigWhenThePasswordComesFromTheEnvironment(@TempDir Path directory)
            throws Exception {
        Map<String, Object> originals = saslSsl(caCertificate(directory));
        originals.put(KafkaSettings.SASL_PASSWORD, "a\"b\\c");

        Password jaas = (Password) new KafkaSettings(originals).clientSecurity().get("sasl.jaas.config");

        assertThat(jaas.value()).endsWith("password=\"a\\\"b\\\\c\";");
    }

    @Test
    void shouldAddNothingWhenPlaintextAsOnTheEmbeddedLoopbackBroker() {
        KafkaSettings settings = new KafkaSettings(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, "127.0.0.1:9092"));

        assertThat(settings.securityProtocol()).isEqualTo("PLAINTEXT");
        assertThat(settings.clientSecurity()).isEmpty();
        assertThat(KafkaClients.producer(settings, "t")).doesNotContainKeys("security.protocol", "sasl.jaas.config");
    }

    @Test
    void shouldRefuseAPasswordWhenTheProtocolIsStillPlaintext() {
        assertThatThrownBy(() -> new KafkaSettings(Map.of(KafkaSettings.SASL_USERNAME, "ledger-service",
                KafkaSettings.SASL_PASSWORD, "s3cret")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_KAFKA_SASL_USERNAME is set but NGAO_KAFKA_SECURITY_PROTOCOL is PLAINTEXT")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void shouldRefuseSaslSslWithoutAUserOrAPassword() {
        assertThatThrownBy(() -> new KafkaSettings(Map.of(KafkaSettings.SECURITY_PROTOCOL, "SASL_SSL")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_KAFKA_SASL_USERNAME is required with SASL_SSL")
                .hasMessageContaining("exactly one of NGAO_KAFKA_SASL_PASSWORD and NGAO_KAFKA_SASL_PASSWORD_FILE");
    }

    @Test
    void shouldRefuseBothAPasswordAndAPasswordFile(@TempDir Path directory) throws Exception {
        Map<String, Object> originals = saslSsl(caCertificate(directory));
        originals.put(KafkaSettings.SASL_PASSWORD, "s3cret");
        originals.put(KafkaSettings.SASL_PASSWORD_FILE, directory.resolve("password").toString());

        assertThatThrownBy(() -> new KafkaSettings(originals)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("both are set");
    }

    @Test
    void shouldRefuseAMissingOrEmptyPasswordFileWithoutShowingItsContent(@TempDir Path directory) throws Exception {
        Map<String, Object> missing = saslSsl(caCertificate(directory));
        missing.put(KafkaSettings.SASL_PASSWORD_FILE, directory.resolve("absent").toString());
        Map<String, Object> empty = saslSsl(caCertificate(directory));
        empty.put(KafkaSettings.SASL_PASSWORD_FILE, Files.writeString(directory.resolve("empty"), "\n").toString());

        assertThatThrownBy(() -> new KafkaSettings(missing)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_KAFKA_SASL_PASSWORD_FILE cannot be read");
        assertThatThrownBy(() -> new KafkaSettings(empty)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_KAFKA_SASL_PASSWORD_FILE names an empty file");
    }

    @Test
    void shouldRefuseATrustStoreThatIsNotThereOrATrustStoreWithoutTls(@TempDir Path directory) {
        Map<String, Object> absent = saslSsl(directory.resolve("no-ca.crt"));
        absent.put(KafkaSettings.SASL_PASSWORD, "s3cret");

        assertThatThrownBy(() -> new KafkaSettings(absent)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_KAFKA_SSL_TRUSTSTORE_LOCATION names no readable file");
        assertThatThrownBy(() -> new KafkaSettings(Map.of(KafkaSettings.SSL_TRUSTSTORE_LOCATION, "/etc/ca.crt")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_KAFKA_SSL_TRUSTSTORE_LOCATION is set but NGAO_KAFKA_SECURITY_PROTOCOL is PLAINTEXT");
    }

    @Test
    void shouldRefuseSaslPlaintextWhichWouldSendCredentialsInClear() {
        assertThatThrownBy(() -> new KafkaSettings(Map.of(KafkaSettings.SECURITY_PROTOCOL, "SASL_PLAINTEXT")))
                .hasMessageContaining(KafkaSettings.SECURITY_PROTOCOL);
    }
}
