package dev.ngao.ledger;

import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerConfigTest {

    @Test
    void shouldUseDefaultsWhenEnvironmentIsEmpty() {
        // When
        LedgerConfig config = LedgerConfig.fromEnvironment(Map.of("NGAO_LEDGER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT));

        // Then
        assertThat(config.dataDirectory()).isEqualTo(Path.of("data/ledger"));
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8082);
        assertThat(config.groupId()).isEqualTo("ngao-ledger");
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.undecidedBackfillMaxPerPass()).isEqualTo(1_000);
    }

    @Test
    void shouldReadVariablesWhenSet() {
        // Given
        Map<String, String> environment = Map.of(
                "NGAO_LEDGER_DATA_DIR", "/var/lib/ngao/ledger",
                "NGAO_LEDGER_HTTP_PORT", "0",
                "NGAO_LEDGER_GROUP_ID", "ledger-blue",
                "NGAO_LEDGER_POLL_TIMEOUT_MS", "50",
                "NGAO_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                "NGAO_LEDGER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);

        // When
        LedgerConfig config = LedgerConfig.fromEnvironment(environment);

        // Then
        assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/lib/ngao/ledger"));
        assertThat(config.httpPort()).isZero();
        assertThat(config.groupId()).isEqualTo("ledger-blue");
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(dev.ngao.platform.config.KafkaSettings.from(config).bootstrapServers()).isEqualTo("kafka-1:9092");
    }

    @Test
    void shouldRefuseNamingTheVariableWhenPortIsOutOfRange() {
        assertThatThrownBy(() -> LedgerConfig.fromEnvironment(Map.of("NGAO_LEDGER_HTTP_PORT", "70000",
                "NGAO_LEDGER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_LEDGER_HTTP_PORT");
    }

    @Test
    void shouldRefuseWhenDataDirectoryIsBlankOrTimeoutIsNotANumber() {
        assertThatThrownBy(() -> LedgerConfig.fromEnvironment(Map.of("NGAO_LEDGER_DATA_DIR", " ",
                "NGAO_LEDGER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_LEDGER_DATA_DIR");
        assertThatThrownBy(() -> LedgerConfig.fromEnvironment(Map.of("NGAO_LEDGER_POLL_TIMEOUT_MS", "soon",
                "NGAO_LEDGER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_LEDGER_POLL_TIMEOUT_MS");
    }

    @Test
    void shouldRefuseNamingTheVariableWhenTheKeysMasterKeyIsMissing() {
        // The API verifies signed requests against the API keys, whose secrets only the master key opens.
        assertThatThrownBy(() -> LedgerConfig.fromEnvironment(Map.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_LEDGER_KEYS_MASTER_KEY");
    }
}
