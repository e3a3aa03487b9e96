package dev.ngao.reconciler;

import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerConfigTest {

    @Test
    void shouldUseTheDocumentedDefaultsWhenNothingIsSet() {
        // When no variable is set
        ReconcilerConfig config = load(Map.of());

        // Then the defaults apply
        assertThat(config.applicationId()).isEqualTo("ngao-reconciler");
        assertThat(config.stateDirectory()).isEqualTo(Path.of("data/reconciler"));
        assertThat(config.gracePeriod()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.punctuateInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.closedRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.rocksDbMemoryBytes()).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void shouldReadItsKeysFromTheEnvironment() {
        // When every variable is set
        ReconcilerConfig config = load(Map.of(
                "NGAO_RECONCILER_APPLICATION_ID", "reconciler-test",
                "NGAO_RECONCILER_STATE_DIR", "/var/lib/ngao/reconciler",
                "NGAO_RECONCILER_GRACE_PERIOD_SECONDS", "2",
                "NGAO_RECONCILER_PUNCTUATE_INTERVAL_SECONDS", "1",
                "NGAO_RECONCILER_CLOSED_RETENTION_HOURS", "48",
                "NGAO_RECONCILER_START_TIMEOUT_SECONDS", "5"));

        // Then they are used
        assertThat(config.applicationId()).isEqualTo("reconciler-test");
        assertThat(config.stateDirectory()).isEqualTo(Path.of("/var/lib/ngao/reconciler"));
        assertThat(config.gracePeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.punctuateInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.closedRetention()).isEqualTo(Duration.ofHours(48));
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldDeriveReportRunAndChaseSettingsWhenTheyAreSet() {
        // When the report, schedule and chase variables are set
        ReconcilerConfig config = load(Map.of(
                "NGAO_RECONCILER_STATE_DIR", "/srv/recon",
                "NGAO_RECONCILER_REPORT_AMOUNT_TOLERANCE_MINOR", "5",
                "NGAO_RECONCILER_REPORT_SCHEDULE_TIME", "03:30",
                "NGAO_RECONCILER_REPORT_SCHEDULE_ZONE", "America/Lima",
                "NGAO_RECONCILER_CHASE_MAX_ATTEMPTS", "3",
                "NGAO_PROVIDERS_PAGOEFECTIVO_PENDING_TIMEOUT_SECONDS", "60"));

        // Then they are used, and unset directories derive from the state directory
        assertThat(config.amountToleranceMinor()).isEqualTo(5);
        assertThat(config.scheduleTime()).isEqualTo(java.time.LocalTime.of(3, 30));
        assertThat(config.scheduleZone()).isEqualTo(java.time.ZoneId.of("America/Lima"));
        assertThat(config.reportDirectory()).isEqualTo(Path.of("/srv/recon/reports"));
        assertThat(config.inboxDirectory()).isEqualTo(Path.of("/srv/recon/inbox"));
        assertThat(config.viewDirectory()).isEqualTo(Path.of("/srv/recon/ledger-view"));
        assertThat(config.chasePolicy().maxAttempts()).isEqualTo(3);
        assertThat(config.chasePolicy().timeoutOf("pagoefectivo")).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.amountToleranceMinor()).isEqualTo(5);
    }

    @Test
    void shouldMatchExactlyAndRunDailyAtTwoUtcWhenNothingIsSet() {
        ReconcilerConfig config = load(Map.of());
        assertThat(config.amountToleranceMinor()).isZero();
        assertThat(config.scheduleTime()).isEqualTo(java.time.LocalTime.of(2, 0));
        assertThat(config.scheduleZone()).isEqualTo(java.time.ZoneId.of("UTC"));
        assertThat(config.providersEnabled()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "NGAO_RECONCILER_GRACE_PERIOD_SECONDS, 0",
            "NGAO_RECONCILER_GRACE_PERIOD_SECONDS, -5",
            "NGAO_RECONCILER_GRACE_PERIOD_SECONDS, 86401",
            "NGAO_RECONCILER_GRACE_PERIOD_SECONDS, two minutes",
            "NGAO_RECONCILER_PUNCTUATE_INTERVAL_SECONDS, 0",
            "NGAO_RECONCILER_PUNCTUATE_INTERVAL_SECONDS, 1.5",
            "NGAO_RECONCILER_CLOSED_RETENTION_HOURS, 0",
            "NGAO_RECONCILER_CLOSED_RETENTION_HOURS, 721",
            "NGAO_RECONCILER_START_TIMEOUT_SECONDS, 0",
            "NGAO_RECONCILER_APPLICATION_ID, ' '",
            "NGAO_RECONCILER_STATE_DIR, ''",
            "NGAO_KAFKA_BOOTSTRAP_SERVERS, ' '",
            "NGAO_RECONCILER_REPORT_AMOUNT_TOLERANCE_MINOR, -1",
            "NGAO_RECONCILER_REPORT_SCHEDULE_TIME, 25:00",
            "NGAO_RECONCILER_REPORT_SCHEDULE_TIME, 2am",
            "NGAO_RECONCILER_REPORT_SCHEDULE_ZONE, Mars/Olympus",
            "NGAO_RECONCILER_HTTP_PORT, 70000",
            "NGAO_RECONCILER_CHASE_MAX_ATTEMPTS, 0",
            "NGAO_RECONCILER_CHASE_INITIAL_BACKOFF_SECONDS, 0",
            "NGAO_PROVIDERS_PAGOEFECTIVO_PENDING_TIMEOUT_SECONDS, 0"
    })
    void shouldRefuseABadValueNamingTheVariable(String variable, String value) {
        // When a variable carries a bad value
        // Then the configuration is refused with a message naming that variable
        assertThatThrownBy(() -> load(Map.of(variable, value)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(variable);
    }

    /** Loads {@code environment} plus the keys' master key every configuration needs. */
    private static ReconcilerConfig load(Map<String, String> environment) {
        Map<String, String> withMasterKey = new java.util.HashMap<>(environment);
        withMasterKey.putIfAbsent("NGAO_RECONCILER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        return ReconcilerConfig.fromEnvironment(withMasterKey);
    }

    @Test
    void shouldRefuseNamingTheVariableWhenTheKeysMasterKeyIsMissing() {
        // The API verifies signed requests against the API keys, whose secrets only the master key opens.
        assertThatThrownBy(() -> ReconcilerConfig.fromEnvironment(Map.of()))
                .isInstanceOf(dev.ngao.platform.config.InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_RECONCILER_KEYS_MASTER_KEY");
    }
}
