package dev.ngao.launcher;

import dev.ngao.platform.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dataDirectory;

    @Test
    void shouldKeepEventsWhenRestartedOnTheSameDataDirectory() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        int controllerPort = EmbeddedKafkaBroker.freePort();
        String topic = "test.restart";

        // Given a broker that received an event, then stopped
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDirectory, port, controllerPort)) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "key", "kept")).get();
            }
        }

        // When a new broker starts on the same directory
        try (EmbeddedKafkaBroker restarted = new EmbeddedKafkaBroker(dataDirectory, port, controllerPort)) {
            restarted.start();

            // Then the event is still there
            assertThat(readAll(restarted.bootstrapServers(), topic)).containsExactly("kept");
        }
    }

    /** The topic's values up to its end, read by a plain consumer (no registry, no read_committed). */
    private static List<String> readAll(String bootstrapServers, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringDeserializer(), new StringDeserializer());
        try (TopicReader<String, String> reader =
                     TopicReader.fromBeginning(consumer, topic).within(Duration.ofSeconds(20))) {
            return reader.readToEnd().stream().map(ConsumerRecord::value).toList();
        }
    }
}
