package dev.ngao.ingest;

import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestConfigTest {

    private static final String SECRET = "s3cret-value-of-at-least-24-chars";
    private static final String PEPPER = "pepper-of-sixteen-bytes-or-more";

    @Test
    void shouldLoadDefaultsWhenOnlyRequiredKeysAreSet() {
        // Given only the API keys and the pepper
        Map<String, String> environment = validEnvironment();

        // When the configuration is loaded
        IngestConfig config = IngestConfig.fromEnvironment(environment);

        // Then the documented defaults apply and the keys are parsed
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.environment()).isEqualTo("sandbox");
        assertThat(config.bodyLimitBytes()).isEqualTo(65_536);
        assertThat(config.kafkaTimeoutMs()).isEqualTo(10_000L);
        assertThat(config.statusViewMaxEntries()).isEqualTo(1_000_000);
        assertThat(config.piiPepper()).isEqualTo(PEPPER.getBytes(StandardCharsets.UTF_8));
        assertThat(config.apiKeys()).singleElement().satisfies(key -> {
            assertThat(key.keyId()).isEqualTo("key1");
            assertThat(key.merchantId()).isEqualTo("merchant-a");
            assertThat(key.matches(SECRET)).isTrue();
        });
    }

    @Test
    void shouldParseSeveralKeysWhenSecretContainsColon() {
        // Given two keys, the second secret holding a colon
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_API_KEYS", "key1:merchant-a:" + SECRET + " , key2:merchant-b:abc:def-ghi-jkl-mno-pqr-stu");

        // When loaded
        IngestConfig config = IngestConfig.fromEnvironment(environment);

        // Then both keys are there with their merchants
        assertThat(config.apiKeys()).extracting(key -> key.keyId() + "/" + key.merchantId())
                .containsExactly("key1/merchant-a", "key2/merchant-b");
        assertThat(config.apiKeys().get(1).matches("abc:def-ghi-jkl-mno-pqr-stu")).isTrue();
    }

    @Test
    void shouldFailNamingKeyWhenNoApiKeyIsConfigured() {
        // Given no API keys
        Map<String, String> environment = validEnvironment();
        environment.remove("NGAO_INGEST_API_KEYS");

        // Then the start fails naming the key and its variable
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.api.keys")
                .hasMessageContaining("NGAO_INGEST_API_KEYS");
    }

    @Test
    void shouldRefuseMalformedApiKeyEntryWithoutEchoingSecret() {
        // Given an entry without a merchant id, whose secret must not leak into the error
        Map<String, String> environment = validEnvironment();
        String leakySecret = "leaky-secret-value-123456789";
        environment.put("NGAO_INGEST_API_KEYS", "key1:merchant-a:" + SECRET + ",key2" + leakySecret);

        // Then the error names the key and the entry, not the secrets
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.api.keys")
                .hasMessageContaining("entry 2")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(leakySecret).doesNotContain(SECRET));
    }

    @Test
    void shouldRefuseApiKeyWhenSecretIsShortWithoutEchoingIt() {
        // Given a secret of 10 characters
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_API_KEYS", "key1:merchant-a:short12345");

        // Then it is refused, naming the key, not quoting the secret
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.api.keys")
                .hasMessageContaining("24")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("short12345"));
    }

    @Test
    void shouldRefuseApiKeysWhenKeyIdRepeats() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_API_KEYS", "key1:merchant-a:" + SECRET + ",key1:merchant-b:" + SECRET);

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.api.keys")
                .hasMessageContaining("repeats");
    }

    @Test
    void shouldFailNamingKeyWhenPepperIsAbsent() {
        Map<String, String> environment = validEnvironment();
        environment.remove("NGAO_INGEST_PII_PEPPER");

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.pii.pepper")
                .hasMessageContaining("NGAO_INGEST_PII_PEPPER");
    }

    @Test
    void shouldRefuseShortPepperWithoutEchoingIt() {
        // Given a pepper of 15 bytes
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_PII_PEPPER", "fifteen-bytes-x");

        // Then it is refused naming the key and never quoted
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.pii.pepper")
                .hasMessageContaining("16")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain("fifteen-bytes-x"));
    }

    @Test
    void shouldRefuseEnvironmentWhenNeitherSandboxNorLive() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_ENVIRONMENT", "production");

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.environment");
    }

    @Test
    void shouldAcceptAnyFreePortWhenPortIsZero() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_HTTP_PORT", "0");

        assertThat(IngestConfig.fromEnvironment(environment).httpPort()).isZero();
    }

    @Test
    void shouldRefusePortWhenOutOfRange() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_HTTP_PORT", "70000");

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.http.port");
    }

    private static Map<String, String> validEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("NGAO_INGEST_API_KEYS", "key1:merchant-a:" + SECRET);
        environment.put("NGAO_INGEST_PII_PEPPER", PEPPER);
        return environment;
    }
}
