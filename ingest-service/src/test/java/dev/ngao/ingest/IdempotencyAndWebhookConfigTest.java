package dev.ngao.ingest;

import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.ingest.webhook.WebhookEndpoint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The idempotency and webhook keys of IngestConfig. */
class IdempotencyAndWebhookConfigTest {

    private static final String WEBHOOK_SECRET = "hub-webhook-secret-0123456789ab";

    @Test
    void shouldApplyDocumentedDefaultsWhenNothingIsSet() {
        IngestConfig config = IngestConfig.fromEnvironment(validEnvironment());

        assertThat(config.idempotencyExpiry()).isEqualTo(Duration.ofHours(48));
        assertThat(config.idempotencyClaimTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.idempotencyWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.idempotencyMaxEntries()).isEqualTo(200_000_000);
        assertThat(config.stateDirectory()).isEmpty();
        assertThat(config.stateMemoryBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(config.webhookEndpoints()).extracting(WebhookEndpoint::path)
                .containsExactly("/webhooks/mobile-money", "/webhooks/pagoefectivo", "/webhooks/card-network");
        assertThat(config.webhookEndpoints()).allSatisfy(endpoint -> {
            assertThat(endpoint.secrets()).isEmpty();
            assertThat(endpoint.tolerance()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void shouldHoldTheKeysOfOneExpiryPeriodAtOneThousandPerSecondWhenTheBoundIsLeftAtItsDefault() {
        // Issue 14: the old in-heap default (1,000,000) was full after 83 minutes at 200 keys a second
        IngestConfig config = IngestConfig.fromEnvironment(validEnvironment());

        long keysOfOneExpiryPeriod = config.idempotencyExpiry().toSeconds() * 1_000;

        assertThat((long) config.idempotencyMaxEntries()).isGreaterThanOrEqualTo(keysOfOneExpiryPeriod);
    }

    @Test
    void shouldKeepTheStateStoresInTheConfiguredDirectoryWhenOneIsSet() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_STATE_DIR", "/var/lib/ngao/ingest");

        assertThat(IngestConfig.fromEnvironment(environment).stateDirectory()).contains(Path.of("/var/lib/ngao/ingest"));
    }

    @Test
    void shouldReadEachProvidersSecretsAndToleranceWhenSet() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_WEBHOOKS_MOBILEMONEY_SECRETS", WEBHOOK_SECRET + "," + WEBHOOK_SECRET + "-old");
        environment.put("NGAO_INGEST_WEBHOOKS_CARDNETWORK_TOLERANCE_SECONDS", "60");

        IngestConfig config = IngestConfig.fromEnvironment(environment);

        WebhookEndpoint hub = config.webhookEndpoints().get(0);
        assertThat(hub.secrets()).hasSize(2);
        assertThat(new String(hub.secrets().get(1), StandardCharsets.UTF_8)).isEqualTo(WEBHOOK_SECRET + "-old");
        assertThat(config.webhookEndpoints().get(2).tolerance()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldRefuseAShortWebhookSecretWithoutQuotingIt() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_WEBHOOKS_PAGOEFECTIVO_SECRETS", WEBHOOK_SECRET + ",short-secret");

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_INGEST_WEBHOOKS_PAGOEFECTIVO_SECRETS")
                .hasMessageContaining("secret 2 is shorter")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void shouldRefuseAnExpiryBelow24Hours() {
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_IDEMPOTENCY_EXPIRY_MS", Long.toString(Duration.ofHours(23).toMillis()));

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_INGEST_IDEMPOTENCY_EXPIRY_MS");
    }

    @Test
    void shouldRefuseAClaimTimeoutALiveWinnerCouldOutlast() {
        // A winner writes its event and its answer, each within the Kafka timeout: the lease must outlast both.
        Map<String, String> environment = validEnvironment();
        environment.put("NGAO_INGEST_KAFKA_TIMEOUT_MS", "10000");
        environment.put("NGAO_INGEST_IDEMPOTENCY_CLAIM_TIMEOUT_MS", "20000");

        assertThatThrownBy(() -> IngestConfig.fromEnvironment(environment))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_INGEST_IDEMPOTENCY_CLAIM_TIMEOUT_MS");
    }

    private static Map<String, String> validEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        environment.put("NGAO_INGEST_PII_PEPPER", "pepper-of-sixteen-bytes-or-more");
        return environment;
    }
}
