package dev.ngao.platform.config;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentConfigTest {

    private static final ConfigDef DEFINITION = KafkaSettings.define(new ConfigDef()
            .define("demo.http.port", ConfigDef.Type.INT, 8080, ConfigDef.Range.between(0, 65535),
                    ConfigDef.Importance.HIGH, "Port.")
            .define("demo.secret", ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "A secret."));

    @Test
    void shouldReadKeysFromPrefixedVariablesWhenSet() {
        // Given
        Map<String, String> environment = Map.of(
                "NGAO_DEMO_HTTP_PORT", "9000",
                "NGAO_DEMO_SECRET", "s3cret-value",
                "NGAO_KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
                "UNRELATED", "x");

        // When
        AbstractConfig config = EnvironmentConfig.load(DEFINITION, environment, values -> new AbstractConfig(DEFINITION, values));

        // Then
        assertThat(config.getInt("demo.http.port")).isEqualTo(9000);
        assertThat(config.getPassword("demo.secret").value()).isEqualTo("s3cret-value");
        assertThat(KafkaSettings.from(config).bootstrapServers()).isEqualTo("broker:9092");
    }

    @Test
    void shouldApplyDefaultsWhenVariablesAreAbsent() {
        AbstractConfig config = EnvironmentConfig.load(DEFINITION, Map.of("NGAO_DEMO_SECRET", "x"),
                values -> new AbstractConfig(DEFINITION, values));

        assertThat(config.getInt("demo.http.port")).isEqualTo(8080);
        assertThat(KafkaSettings.from(config).replicationFactor()).isEqualTo((short) -1);
        assertThat(KafkaSettings.from(config).schemaRegistryConfig().url()).isEqualTo("embedded");
    }

    @Test
    void shouldNameKeyAndVariableWhenValueIsInvalid() {
        assertThatThrownBy(() -> EnvironmentConfig.load(DEFINITION,
                Map.of("NGAO_DEMO_HTTP_PORT", "eighty", "NGAO_DEMO_SECRET", "x"),
                values -> new AbstractConfig(DEFINITION, values)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_DEMO_HTTP_PORT")
                .hasMessageContaining("demo.http.port");
    }

    @Test
    void shouldRefuseOutOfRangeValueWhenSet() {
        assertThatThrownBy(() -> EnvironmentConfig.load(DEFINITION,
                Map.of("NGAO_DEMO_HTTP_PORT", "70000", "NGAO_DEMO_SECRET", "x"),
                values -> new AbstractConfig(DEFINITION, values)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_DEMO_HTTP_PORT");
    }

    @Test
    void shouldNameMissingRequiredKeyWithoutDefault() {
        assertThatThrownBy(() -> EnvironmentConfig.load(DEFINITION, Map.of(),
                values -> new AbstractConfig(DEFINITION, values)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_DEMO_SECRET");
    }

    @Test
    void shouldRefuseBlankBootstrapServers() {
        assertThatThrownBy(() -> EnvironmentConfig.load(DEFINITION,
                Map.of("NGAO_KAFKA_BOOTSTRAP_SERVERS", " ", "NGAO_DEMO_SECRET", "x"),
                values -> new AbstractConfig(DEFINITION, values)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldNeverPrintSecretDefaultsInDocs() {
        String table = ConfigDocs.markdownTable(DEFINITION);

        assertThat(table).contains("`NGAO_DEMO_HTTP_PORT`", "`demo.http.port`", "`8080`", "(required)");
        assertThat(table).contains("`NGAO_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO`");
    }
}
