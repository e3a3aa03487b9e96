package dev.ngao.providers.config;

import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.providers.ProviderKind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvidersConfigTest {

    @Test
    void shouldPointAtTheSandboxWhenNothingIsSet() {
        ProvidersConfig config = ProvidersConfig.fromEnvironment(Map.of());

        ProviderSettings hub = ProvidersConfig.settings(config, ProviderKind.MOBILE_MONEY_HUB);
        assertThat(hub.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8095/mobile-money-hub"));
        assertThat(hub.retries()).isEqualTo(3);
        assertThat(hub.callTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(hub.apiSecret()).isEmpty();
        assertThat(ProvidersConfig.heartbeatFailuresBeforeDown(config)).isEqualTo(3);
    }

    @Test
    void shouldReadEachProvidersKeysFromItsVariablesWhenSet() {
        ProvidersConfig config = ProvidersConfig.fromEnvironment(Map.of(
                "NGAO_PROVIDERS_PAGOEFECTIVO_BASE_URL", "https://pe.example/api",
                "NGAO_PROVIDERS_PAGOEFECTIVO_API_SECRET", "s3cret-0123456789",
                "NGAO_PROVIDERS_PAGOEFECTIVO_RETRIES", "5",
                "NGAO_PROVIDERS_PAGOEFECTIVO_BACKOFF_BASE_MS", "50",
                "NGAO_PROVIDERS_PAGOEFECTIVO_CIRCUIT_OPEN_MS", "1000",
                "NGAO_PROVIDERS_CARD_NETWORK_CALL_TIMEOUT_MS", "750"));

        ProviderSettings pe = ProvidersConfig.settings(config, ProviderKind.PAGOEFECTIVO);
        assertThat(pe.baseUrl()).isEqualTo(URI.create("https://pe.example/api"));
        assertThat(pe.apiSecret()).isEqualTo("s3cret-0123456789");
        assertThat(pe.retries()).isEqualTo(5);
        assertThat(pe.backoffBase()).isEqualTo(Duration.ofMillis(50));
        assertThat(pe.circuitOpenDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(pe.toString()).doesNotContain("s3cret");
        assertThat(ProvidersConfig.settings(config, ProviderKind.CARD_NETWORK).callTimeout())
                .isEqualTo(Duration.ofMillis(750));
        assertThat(ProvidersConfig.allSettings(config)).containsOnlyKeys(ProviderKind.values());
    }

    @Test
    void shouldRefuseABadValueNamingTheVariableWhenStarting() {
        assertThatThrownBy(() -> ProvidersConfig.fromEnvironment(Map.of("NGAO_PROVIDERS_MOBILE_MONEY_HUB_BASE_URL", "ftp://x")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_PROVIDERS_MOBILE_MONEY_HUB_BASE_URL");
        assertThatThrownBy(() -> ProvidersConfig.fromEnvironment(Map.of("NGAO_PROVIDERS_CARD_NETWORK_RETRIES", "11")))
                .isInstanceOf(InvalidConfigurationException.class);
    }
}
