package dev.ngao.ingest.kafka;

import dev.ngao.events.ListEntryChange;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.RiskDecision;
import dev.ngao.ingest.kafka.AcknowledgedPublisher.Publication;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The one publisher: answers after the acknowledgement, times out, tracks a late outcome, writes tombstones. */
class AcknowledgedPublisherTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldWriteTombstoneOnCompactedTopicAndCompleteOnAcknowledgement() throws Exception {
        MockProducer<String, ListEntryChange> producer = mockProducer();
        AcknowledgedPublisher<String, ListEntryChange> publisher =
                new AcknowledgedPublisher<>(vertx, producer, Topics.RISK_LISTS, 5_000);

        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        vertx.runOnContext(ignored -> publisher.tombstone("merchant-a|BLOCK|EMAIL|email:00").acknowledged()
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
        AcknowledgedPublisher<String, RiskDecision> publisher =
                new AcknowledgedPublisher<>(vertx, mockProducer(), Topics.RISK_DECISIONS, 5_000);

        assertThatThrownBy(() -> publisher.tombstone("txn_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> publisher.publish("txn_1", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldFailWhenKafkaDoesNotAcknowledgeWithinTheTimeout() throws Exception {
        MockProducer<String, ListEntryChange> producer = mockProducer();
        AcknowledgedPublisher<String, ListEntryChange> publisher =
                new AcknowledgedPublisher<>(vertx, producer, Topics.RISK_LISTS, 200);

        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        vertx.runOnContext(ignored -> publisher.tombstone("key").acknowledged().onFailure(failed::complete));

        assertThat(failed.get(5, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    @Test
    void shouldTellWhatBecameOfAWriteAcknowledgedAfterTheTimeout() throws Exception {
        // Given a write whose acknowledgement did not come within the timeout
        MockProducer<String, RiskDecision> producer = mockProducer();
        AcknowledgedPublisher<String, RiskDecision> publisher =
                new AcknowledgedPublisher<>(vertx, producer, Topics.RISK_DECISIONS, 200);
        CompletableFuture<Publication> started = new CompletableFuture<>();
        vertx.runOnContext(ignored -> started.complete(publisher.publish("txn_1", decision())));
        Publication publication = started.get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> publication.acknowledged().failed());

        // Then the answer gave up while the write is still undecided
        assertThat(publication.undecided()).isTrue();

        // When Kafka acknowledges it after all
        producer.completeNext();

        // Then the late outcome is known: the write landed, and it is no longer undecided
        await().atMost(5, TimeUnit.SECONDS).until(() -> publication.settled().succeeded());
        assertThat(publication.settled().result().topic()).isEqualTo(Topics.RISK_DECISIONS.name());
        assertThat(publication.undecided()).isFalse();
    }

    @Test
    void shouldCompleteBothAcknowledgedAndSettledWhenKafkaAcknowledgesInTime() throws Exception {
        MockProducer<String, RiskDecision> producer = mockProducer();
        AcknowledgedPublisher<String, RiskDecision> publisher =
                new AcknowledgedPublisher<>(vertx, producer, Topics.RISK_DECISIONS, 5_000);
        CompletableFuture<Publication> started = new CompletableFuture<>();
        vertx.runOnContext(ignored -> started.complete(publisher.publish("txn_1", decision())));
        Publication publication = started.get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);
        assertThat(publication.acknowledged().isComplete()).isFalse();

        producer.completeNext();

        await().atMost(5, TimeUnit.SECONDS).until(() -> publication.acknowledged().succeeded());
        assertThat(publication.settled().succeeded()).isTrue();
        assertThat(producer.history().get(0).key()).isEqualTo("txn_1");
        assertThat(publication.undecided()).isFalse();
    }

    @Test
    void shouldFailAndBeDecidedWhenKafkaRefusesTheWrite() throws Exception {
        MockProducer<String, RiskDecision> producer = mockProducer();
        AcknowledgedPublisher<String, RiskDecision> publisher =
                new AcknowledgedPublisher<>(vertx, producer, Topics.RISK_DECISIONS, 5_000);
        CompletableFuture<Publication> started = new CompletableFuture<>();
        vertx.runOnContext(ignored -> started.complete(publisher.publish("txn_1", decision())));
        Publication publication = started.get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);

        producer.errorNext(new NotEnoughReplicasException("not enough replicas"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> publication.acknowledged().failed());
        assertThat(publication.acknowledged().cause()).isInstanceOf(NotEnoughReplicasException.class);
        assertThat(publication.undecided()).isFalse();
    }

    @Test
    void shouldRefuseATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new AcknowledgedPublisher<>(vertx, mockProducer(), Topics.RISK_LISTS, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RiskDecision decision() {
        return SampleEvents.riskDecision("txn_1", Outcome.APPROVE)
                .setMerchantId("merchant-a")
                .setAccountId("msisdn:hash")
                .setAmount(new Money(100L, "KES"))
                .setRequestedAt(Instant.now())
                .setDecidedAt(Instant.now())
                .build();
    }

    private static <V> MockProducer<String, V> mockProducer() {
        return new MockProducer<>(false, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }
}
