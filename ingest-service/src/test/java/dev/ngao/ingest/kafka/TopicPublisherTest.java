package dev.ngao.ingest.kafka;

import dev.ngao.events.ListEntryChange;
import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TopicPublisherTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldWriteTombstoneOnCompactedTopicAndCompleteOnAcknowledgement() throws Exception {
        MockProducer<String, ListEntryChange> producer = mockProducer();
        TopicPublisher<ListEntryChange> publisher = new TopicPublisher<>(vertx, Topics.RISK_LISTS, producer, 5_000);

        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        vertx.runOnContext(ignored -> publisher.tombstone("merchant-a|BLOCK|EMAIL|email:00")
                .onSuccess(written::complete).onFailure(written::completeExceptionally));
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);
        assertThat(written).isNotDone();
        producer.completeNext();

        assertThat(written.get(5, TimeUnit.SECONDS).topic()).isEqualTo(Topics.RISK_LISTS.name());
        assertThat(producer.history().get(0).key()).isEqualTo("merchant-a|BLOCK|EMAIL|email:00");
        assertThat(producer.history().get(0).value()).isNull();
    }

    @Test
    void shouldRefuseTombstoneOnTopicThatIsNotCompacted() {
        TopicPublisher<RiskDecision> publisher = new TopicPublisher<>(vertx, Topics.RISK_DECISIONS, mockProducer(), 5_000);

        assertThatThrownBy(() -> publisher.tombstone("txn_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> publisher.publish("txn_1", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldFailWhenKafkaDoesNotAcknowledgeWithinTheTimeout() throws Exception {
        MockProducer<String, ListEntryChange> producer = mockProducer();
        TopicPublisher<ListEntryChange> publisher = new TopicPublisher<>(vertx, Topics.RISK_LISTS, producer, 200);

        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        vertx.runOnContext(ignored -> publisher.tombstone("key").onFailure(failed::complete));

        assertThat(failed.get(5, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    private static <V> MockProducer<String, V> mockProducer() {
        return new MockProducer<>(false, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }
}
