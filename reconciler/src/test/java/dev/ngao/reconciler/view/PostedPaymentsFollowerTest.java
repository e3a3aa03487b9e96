package dev.ngao.reconciler.view;

import dev.ngao.events.ProviderStatus;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ngao.reconciler.ProviderFixtures.approval;
import static dev.ngao.reconciler.ProviderFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

class PostedPaymentsFollowerTest {

    private static final String HUB = "mobile-money-hub";
    private static final Instant DECIDED_AT = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path directory;

    @Test
    void shouldResumeBehindWhatItAppliedWhenRestarted() {
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            // Given a follower that applied an approval and a provider event, one poll
            MockConsumer<String, Object> first = consumer();
            PostedPaymentsFollower follower = new PostedPaymentsFollower(first, view, Duration.ofMillis(10));
            follower.assignFromStoredOffsets();
            first.addRecord(record(Topics.RISK_DECISIONS, 0, "t1",
                    approval("t1", HUB, 1_000, "KES", DECIDED_AT)));
            first.addRecord(record(Topics.PROVIDER_EVENTS, 0, "t1",
                    event("t1", HUB, "R1", ProviderStatus.SUCCEEDED, DECIDED_AT, null)));
            assertThat(follower.pollOnce()).isEqualTo(2);

            // When a new follower starts on the same view
            MockConsumer<String, Object> second = consumer();
            new PostedPaymentsFollower(second, view, Duration.ofMillis(10)).assignFromStoredOffsets();

            // Then it continues after the applied records, from the beginning elsewhere, and the view holds both facts
            assertThat(second.position(partition(Topics.RISK_DECISIONS))).isEqualTo(1);
            assertThat(second.position(partition(Topics.PROVIDER_EVENTS))).isEqualTo(1);
            assertThat(second.position(partition(Topics.LEDGER_ENTRIES))).isZero();
            assertThat(view.payment("t1")).get().satisfies(payment -> {
                assertThat(payment.approved()).isTrue();
                assertThat(payment.status()).isEqualTo(ProviderStatus.SUCCEEDED);
                assertThat(payment.providerReference()).isEqualTo("R1");
            });
        }
    }

    /** One partition per followed topic, starting at offset 0. */
    private static MockConsumer<String, Object> consumer() {
        MockConsumer<String, Object> consumer = new MockConsumer<>("earliest");
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        for (Topic<String, ?> topic : PostedPaymentsFollower.FOLLOWED) {
            consumer.updatePartitions(topic.name(), List.of(new PartitionInfo(topic.name(), 0, Node.noNode(),
                    new Node[0], new Node[0])));
            beginnings.put(partition(topic), 0L);
        }
        consumer.updateBeginningOffsets(beginnings);
        return consumer;
    }

    private static TopicPartition partition(Topic<String, ?> topic) {
        return new TopicPartition(topic.name(), 0);
    }

    private static ConsumerRecord<String, Object> record(Topic<String, ?> topic, long offset, String key,
                                                         Object value) {
        return new ConsumerRecord<>(topic.name(), 0, offset, key, value);
    }
}
