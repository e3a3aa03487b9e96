package dev.ngao.launcher;

import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        LauncherConfig config = LauncherConfig.fromEnvironment(Map.of());

        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.dataDirectory().getFileName().toString()).isEqualTo("data");
        assertThat(config.dataDirectory().isAbsolute()).isTrue();
        assertThat(config.demoRatePerSecond()).isEqualTo(50);
    }

    @Test
    void shouldRefuseBadPortNamingTheVariable() {
        assertThatThrownBy(() -> LauncherConfig.fromEnvironment(Map.of("NGAO_EMBEDDED_KAFKA_PORT", "0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_EMBEDDED_KAFKA_PORT");
    }

    @Test
    void shouldRefuseNonNumericDemoRateNamingTheVariable() {
        assertThatThrownBy(() -> LauncherConfig.fromEnvironment(Map.of("NGAO_DEMO_RATE_PER_SECOND", "fast")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_DEMO_RATE_PER_SECOND");
    }
}
