package dev.ngao.platform.kafka;

import dev.ngao.platform.config.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientsTest {

    private final KafkaSettings settings = new KafkaSettings(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, "broker:9092"));

    @Test
    void shouldMakeProducersWaitForAllReplicasAndBeIdempotent() {
        Map<String, Object> producer = KafkaClients.producer(settings, "test");

        assertThat(producer).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
    }

    @Test
    void shouldMakeConsumersReadCommittedAndCommitThemselves() {
        Map<String, Object> consumer = KafkaClients.consumer(settings, "test", "group");

        assertThat(consumer).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "group");
        assertThat(KafkaClients.consumer(settings, "test", null)).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    }

    @Test
    void shouldRunStreamsExactlyOnceV2() {
        Map<String, Object> streams = KafkaClients.streams(settings, "app", Path.of("/tmp/state"));

        assertThat(streams).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app")
                .containsEntry(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    }
}
