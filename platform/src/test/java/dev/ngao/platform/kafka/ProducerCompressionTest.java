package dev.ngao.platform.kafka;

import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.platform.config.KafkaSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerCompressionTest {

    private static final String VARIABLE = "NGAO_KAFKA_PRODUCER_COMPRESSION_TYPE";

    @Test
    void shouldCompressWithLz4WhenNothingIsSet() {
        KafkaSettings settings = load(Map.of());

        assertThat(KafkaClients.producer(settings, "test"))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    @Test
    void shouldCompressWithTheCodecTheDeploymentChoseWhenSet() {
        // Given a deployment whose analysts read with kafkajs, which reads gzip without a plugin
        KafkaSettings settings = load(Map.of(VARIABLE, "gzip"));

        // Then the plain producers write gzip; Kafka Streams keeps its own setting
        assertThat(KafkaClients.producer(settings, "test"))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        assertThat(KafkaClients.streams(settings, "app", Path.of("/tmp/state")))
                .doesNotContainKey(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        assertThat(load(Map.of(VARIABLE, "none")).producerCompressionType()).isEqualTo("none");
    }

    @Test
    void shouldStopWithAMessageNamingTheVariableAndTheCodecsWhenTheValueIsUnknown() {
        assertThatThrownBy(() -> load(Map.of(VARIABLE, "zip")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(VARIABLE)
                .hasMessageContaining("zip")
                .hasMessageContaining("none, gzip, snappy, lz4, zstd");
        assertThatThrownBy(() -> load(Map.of(VARIABLE, "LZ4")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(VARIABLE);
    }

    private static KafkaSettings load(Map<String, String> environment) {
        return EnvironmentConfig.load(KafkaSettings.DEFINITION, environment, KafkaSettings::new);
    }
}
