package dev.ngao.ingest;

import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestConfigTest {

    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String PEPPER = "pepper-of-sixteen-bytes-or-more";

    @Test
    void shouldLoadDefaultsWhenOnlyRequiredKeysAreSet() {
        // Given only the master key and the pepper
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
        assertThat(config.doorEnvironment()).isEqualTo(Environment.SANDBOX);
        assertThat(config.auth().masterKey()).hasSize(32);
        assertThat(config.auth().timestampToleranceSeconds()).isEqualTo(300);
        assertThat(config.auth().trustedProxies()).isEmpty();
        assertThat(config.auth().rateLimits()).first().satisfies(rule -> {
            assertThat(rule.matches("POST", "/v1/cards")).isTrue();
            assertThat(rule.permits()).isEqualTo(5);
            assertThat(rule.period()).isEqualTo(Duration.ofMinutes(1));
        });
        assertThat(config.tls().enabled()).isFalse();
        assertThat(config.tls().clientCertificateRequired()).isFalse();
    }

    @Test
    void shouldFailNamingKeyWhenMasterKeyIsAbsent() {
        // Given no master key
        Map<String, String> environment = validEnvironment();
        environment.remove("NGAO_INGEST_KEYS_MASTER_KEY");

        // Then the start fails naming the key and its variable
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.keys.master.key")
                .hasMessageContaining("NGAO_INGEST_KEYS_MASTER_KEY");
    }

    @Test
    void shouldRefuseMasterKeyOfWrongLengthWithoutEchoingIt() {
        // Given 16 bytes where 32 are needed
        Map<String, String> environment = validEnvironment();
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", shortKey);

        // Then it is refused, naming the key, never quoting it
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.keys.master.key")
                .hasMessageContaining("32")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(shortKey));
    }

    @Test
    void shouldReadTrustedProxiesAndRateLimitsWhenGiven() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_AUTH_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32");
        environment.put("NGAO_INGEST_RATE_LIMITS", "POST /v1/cards 2/30s, * /v1/* 100/1h");

        IngestConfig config = IngestConfig.fromEnvironment(environment);

        assertThat(config.auth().trustedProxies()).extracting(Object::toString)
                .containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(config.auth().rateLimits()).extracting(Object::toString)
                .containsExactly("POST /v1/cards 2/30s", "* /v1/* 100/3600s");
    }

    @Test
    void shouldRefuseMalformedTrustedProxyOrRateLimit() {
        Map<String, String> proxies = validEnvironment();
        proxies.put("NGAO_INGEST_AUTH_TRUSTED_PROXIES", "10.0.0.0/33");
        Map<String, String> limits = validEnvironment();
        limits.put("NGAO_INGEST_RATE_LIMITS", "POST /v1/cards five-a-minute");

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(proxies))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.auth.trusted.proxies");
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(limits))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("ingest.rate.limits");
    }

    @Test
    void shouldRefuseTlsWithoutServerKeyAndMutualTlsWithoutTls() {
        Map<String, String> noKey = validEnvironment();
        noKey.put("NGAO_INGEST_TLS_ENABLED", "true");
        Map<String, String> mutualWithoutTls = validEnvironment();
        mutualWithoutTls.put("NGAO_INGEST_TLS_CLIENT_AUTH", "required");
        Map<String, String> mutualWithoutCa = validEnvironment();
        mutualWithoutCa.put("NGAO_INGEST_TLS_ENABLED", "true");
        mutualWithoutCa.put("NGAO_INGEST_TLS_KEY_STORE_PATH", "/etc/ngao/server.p12");
        mutualWithoutCa.put("NGAO_INGEST_TLS_CLIENT_AUTH", "required");

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(noKey))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("ingest.tls.key.store.path");
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(mutualWithoutTls))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("ingest.tls.client.auth");
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(mutualWithoutCa))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("ingest.tls.client.ca.path");
    }

    @Test
    void shouldIssueCardsFor36MonthsByDefaultAndReadAnotherValidity() {
        Map<String, String> environment = validEnvironment();
        assertThat(IngestConfig.fromEnvironment(environment).cardValidity().months()).isEqualTo(36);

        environment.put("NGAO_INGEST_CARD_VALIDITY_MONTHS", "48");
        assertThat(IngestConfig.fromEnvironment(environment).cardValidity().months()).isEqualTo(48);
    }

    @Test
    void shouldRefuseCardValidityOutsideOneToOneHundredTwentyMonths() {
        for (String months : new String[]{"0", "121", "three"}) {
            Map<String, String> environment = validEnvironment();
            environment.put("NGAO_INGEST_CARD_VALIDITY_MONTHS", months);

            assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment)).as(months)
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("NGAO_INGEST_CARD_VALIDITY_MONTHS");
        }
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
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", MASTER_KEY);
        environment.put("NGAO_INGEST_PII_PEPPER", PEPPER);
        return environment;
    }
}
