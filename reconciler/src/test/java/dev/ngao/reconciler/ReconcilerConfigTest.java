package dev.ngao.reconciler;

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
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(Map.of());

        // Then the defaults apply
        assertThat(config.applicationId()).isEqualTo("ngao-reconciler");
        assertThat(config.stateDirectory()).isEqualTo(Path.of("data/reconciler"));
        assertThat(config.gracePeriod()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.punctuateInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.closedRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldReadItsKeysFromTheEnvironment() {
        // When every variable is set
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(Map.of(
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
            "NGAO_KAFKA_BOOTSTRAP_SERVERS, ' '"
    })
    void shouldRefuseABadValueNamingTheVariable(String variable, String value) {
        // When a variable carries a bad value
        // Then the configuration is refused with a message naming that variable
        assertThatThrownBy(() -> ReconcilerConfig.fromEnvironment(Map.of(variable, value)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(variable);
    }
}
