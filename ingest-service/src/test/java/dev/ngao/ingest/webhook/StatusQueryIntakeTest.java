package dev.ngao.ingest.webhook;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.Money;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.idempotency.ClaimKey;
import dev.ngao.ingest.idempotency.ClaimOutcome;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.InMemoryClaimLog;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Status-query results become provider events under the webhooks' rules, lock and at-least-once input. */
class StatusQueryIntakeTest {

    private static final String PROVIDER = "pagoefectivo";
    private static final String TRANSACTION = "txn_0001";
    private static final Instant NOW = Instant.parse("2026-12-02T07:00:00.123456Z");
    private static final TopicPartition PARTITION = new TopicPartition(Topics.PROVIDER_STATUS_QUERIES.name(), 0);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Vertx vertx = Vertx.vertx();
    private final MockConsumer<String, ProviderEvent> consumer = new MockConsumer<>("earliest");
    private final MockProducer<String, ProviderEvent> producer =
            new MockProducer<>(false, null, new StringSerializer(), (topic, value) -> new byte[0]);
    private final ProviderStatusView view = new ProviderStatusView(SharedTestStateStores.get(), 1_000);
    private final List<AuditRecord> audited = new CopyOnWriteArrayList<>();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    private ClaimStore claims;
    private StatusQueryIntake intake;

    @BeforeEach
    void start() {
        claims = new ClaimStore(new InMemoryClaimLog(), SharedTestStateStores.get(), 1_000, "test", Clock.systemUTC(),
                Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(5));
        claims.start();
        consumer.schedulePollTask(() -> {
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            consumer.rebalance(List.of(PARTITION));
        });
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        intake = new StatusQueryIntake(consumer,
                new StatusQueryWriter(new AcknowledgedPublisher<>(vertx, producer, Topics.PROVIDER_EVENTS, 2_000),
                        claims, view, () -> CompletableFuture.completedFuture(null),
                        new StatusQueryWriter.LockTiming(Duration.ofSeconds(6), Duration.ofSeconds(2)), clock),
                Set.of(PROVIDER, "mobile-money-hub"), new StatusQueryAudit(audited::add,
                        (provider, action, reason, subject, client) -> outcomes.add(action + " " + reason), clock),
                10, "test-intake");
        intake.start();
        await().atMost(WAIT).until(() -> !consumer.assignment().isEmpty());
    }

    @AfterEach
    void stop() throws Exception {
        intake.close();
        claims.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldApplySucceededResultToPendingPaymentAndCommitOnlyAfterTheAcknowledgement() {
        // Given a payment a webhook made PENDING
        view.apply(webhook(ProviderStatus.PENDING, StatusTransition.APPLIED));

        // When a SUCCEEDED status-query result arrives
        send(0, query(ProviderStatus.SUCCEEDED));
        await().atMost(WAIT).until(() -> producer.history().size() == 1);

        // Then it is written, judged APPLIED after PENDING, but nothing is committed before Kafka acknowledges
        ProducerRecord<String, ProviderEvent> written = producer.history().get(0);
        assertThat(written.topic()).isEqualTo(Topics.PROVIDER_EVENTS.name());
        assertThat(written.key()).isEqualTo(TRANSACTION);
        ProviderEvent event = written.value();
        assertThat(event.getTransition()).isEqualTo(StatusTransition.APPLIED);
        assertThat(event.getPreviousStatus()).isEqualTo(ProviderStatus.PENDING);
        assertThat(event.getStatus()).isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(event.getSource()).isEqualTo(ProviderEventSource.STATUS_QUERY);
        assertThat(event.getEventId()).isEqualTo(query(ProviderStatus.SUCCEEDED).getEventId());
        assertThat(event.getProviderEventId()).isEqualTo("status-query:" + TRANSACTION + ":SUCCEEDED");
        assertThat(event.getProviderReference()).isEqualTo("CIP-123");
        assertThat(event.getAmount()).isEqualTo(new Money(12_500L, "PEN"));
        assertThat(event.getFee()).isEqualTo(new Money(150L, "PEN"));
        assertThat(event.getReceivedAt()).isEqualTo(Instant.parse("2026-12-02T07:00:00.123Z"));
        sleep(300);
        assertThat(committed()).isNull();
        assertThat(view.find(TRANSACTION)).contains(ProviderStatus.PENDING);

        producer.completeNext();

        await().atMost(WAIT).until(() -> committed() != null && committed().offset() == 1);
        assertThat(view.find(TRANSACTION)).contains(ProviderStatus.SUCCEEDED);
        assertThat(audited).singleElement().satisfies(record -> {
            assertThat(record.getActor()).isEqualTo(StatusQueryIntake.ACTOR);
            assertThat(record.getAction()).isEqualTo(StatusQueryIntake.ACTION);
            assertThat(record.getSubjectId()).isEqualTo(TRANSACTION);
            assertThat(record.getDetails()).containsEntry(WebhookRoutes.TRANSITION_DETAIL, "APPLIED");
        });
        assertThat(outcomes).containsExactly(StatusQueryIntake.ACTION + " APPLIED");
    }

    @Test
    void shouldWriteTheSameResultDeliveredTwiceAsDuplicateStatus() {
        view.apply(webhook(ProviderStatus.PENDING, StatusTransition.APPLIED));

        send(0, query(ProviderStatus.SUCCEEDED));
        send(1, query(ProviderStatus.SUCCEEDED));

        acknowledgeUntil(2);
        List<ProviderEvent> written = producer.history().stream().map(ProducerRecord::value).toList();
        assertThat(written).extracting(ProviderEvent::getTransition)
                .containsExactly(StatusTransition.APPLIED, StatusTransition.DUPLICATE_STATUS);
        assertThat(written.get(1).getPreviousStatus()).isEqualTo(ProviderStatus.SUCCEEDED);
        await().atMost(WAIT).until(() -> committed() != null && committed().offset() == 2);
        assertThat(view.find(TRANSACTION)).contains(ProviderStatus.SUCCEEDED);
    }

    @Test
    void shouldRecordResultContradictingAFailedWebhookAsConflict() {
        // Given a webhook already made the payment FAILED
        view.apply(webhook(ProviderStatus.PENDING, StatusTransition.APPLIED));
        view.apply(webhook(ProviderStatus.FAILED, StatusTransition.APPLIED));

        send(0, query(ProviderStatus.SUCCEEDED));

        acknowledgeUntil(1);
        ProviderEvent event = producer.history().get(0).value();
        assertThat(event.getTransition()).isEqualTo(StatusTransition.CONFLICT);
        assertThat(event.getPreviousStatus()).isEqualTo(ProviderStatus.FAILED);
        await().atMost(WAIT).until(() -> committed() != null && committed().offset() == 1);
        assertThat(view.find(TRANSACTION)).contains(ProviderStatus.FAILED);
    }

    @Test
    void shouldSkipMalformedRecordsCommitThemAndProcessTheNextOne() {
        ProviderEvent unknownProvider = ProviderEvent.newBuilder(query(ProviderStatus.SUCCEEDED))
                .setProvider("nobody").build();
        ProviderEvent noTransaction = ProviderEvent.newBuilder(query(ProviderStatus.SUCCEEDED))
                .setTransactionId("").build();
        ProviderEvent unknownStatus = ProviderEvent.newBuilder(query(ProviderStatus.SUCCEEDED))
                .setStatus(ProviderStatus.UNKNOWN).build();

        send(0, null);
        send(1, unknownProvider);
        send(2, noTransaction);
        send(3, unknownStatus);
        send(4, query(ProviderStatus.SUCCEEDED));

        acknowledgeUntil(1);
        await().atMost(WAIT).until(() -> committed() != null && committed().offset() == 5);
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.value().getProvider()).isEqualTo(PROVIDER);
            assertThat(record.value().getTransition()).isEqualTo(StatusTransition.APPLIED);
            assertThat(record.value().getPreviousStatus()).isNull();
        });
        assertThat(audited).hasSize(1);
    }

    @Test
    void shouldSkipAnUndecodableRecordCommitPastItAndProcessTheNextOne() {
        // Given a record that cannot be decoded, then a valid result
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, PARTITION, 0, 0L,
                TimestampType.CREATE_TIME, ByteBuffer.allocate(0), ByteBuffer.allocate(0), null, "cannot decode",
                null));
        send(1, query(ProviderStatus.SUCCEEDED));

        // When the valid one is acknowledged
        acknowledgeUntil(1);

        // Then both are committed, and only the valid one was written
        await().atMost(WAIT).until(() -> committed() != null && committed().offset() == 2);
        assertThat(producer.history()).singleElement()
                .satisfies(record -> assertThat(record.value().getStatus()).isEqualTo(ProviderStatus.SUCCEEDED));
    }

    @Test
    void shouldRetryAWriteKafkaRefusedAndCommitOnlyOnceOneIsAcknowledged() {
        view.apply(webhook(ProviderStatus.PENDING, StatusTransition.APPLIED));
        send(0, query(ProviderStatus.SUCCEEDED));
        await().atMost(WAIT).until(() -> producer.history().size() == 1);

        producer.errorNext(new NotEnoughReplicasException("not enough replicas"));

        await().atMost(WAIT).until(() -> producer.history().size() == 2);
        assertThat(committed()).isNull();
        assertThat(view.find(TRANSACTION)).contains(ProviderStatus.PENDING);
        producer.completeNext();
        await().atMost(WAIT).until(() -> committed() != null && committed().offset() == 1);
        assertThat(producer.history().get(1).value().getTransition()).isEqualTo(StatusTransition.APPLIED);
        assertThat(view.find(TRANSACTION)).contains(ProviderStatus.SUCCEEDED);
    }

    @Test
    void shouldWriteResultsOfDifferentTransactionsAtOnceAndCommitThePollOnceAllAreAcknowledged() {
        // Given three results of three transactions in one poll
        consumer.schedulePollTask(() -> {
            for (int n = 0; n < 3; n++) {
                consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), n, "txn_000" + n,
                        ProviderEvent.newBuilder(query(ProviderStatus.SUCCEEDED)).setTransactionId("txn_000" + n)
                                .setEventId("sq:" + PROVIDER + ":txn_000" + n + ":SUCCEEDED").build()));
            }
        });

        // When none of the writes is acknowledged yet, then all three were written all the same (one at a time,
        // the second would wait for the first's acknowledgement), and nothing is committed
        await().atMost(WAIT).until(() -> producer.history().size() == 3);
        assertThat(producer.history()).extracting(ProducerRecord::key)
                .containsExactlyInAnyOrder("txn_0000", "txn_0001", "txn_0002");
        assertThat(committed()).isNull();

        // And once all are acknowledged, the poll is committed past its last record
        producer.completeNext();
        producer.completeNext();
        sleep(300);
        assertThat(committed()).isNull();
        producer.completeNext();
        await().atMost(WAIT).until(() -> committed() != null && committed().offset() == 3);
        assertThat(audited).hasSize(3);
    }

    @Test
    void shouldWaitWhileAWebhookHoldsTheTransactionLock() throws Exception {
        // Given a webhook of the same transaction holds its lock
        ClaimOutcome held = claims.claim(ClaimKey.transactionLock(TRANSACTION), "webhook", Duration.ofMinutes(1))
                .get(5, TimeUnit.SECONDS);
        assertThat(held).isInstanceOf(ClaimOutcome.Won.class);
        view.apply(webhook(ProviderStatus.PENDING, StatusTransition.APPLIED));

        send(0, query(ProviderStatus.SUCCEEDED));
        sleep(500);
        assertThat(producer.history()).isEmpty();

        // When the webhook wrote FAILED and released the lock
        view.apply(webhook(ProviderStatus.FAILED, StatusTransition.APPLIED));
        claims.release(((ClaimOutcome.Won) held).ticket(), "written").get(5, TimeUnit.SECONDS);

        // Then the result is judged against FAILED
        acknowledgeUntil(1);
        assertThat(producer.history().get(0).value().getTransition()).isEqualTo(StatusTransition.CONFLICT);
    }

    private void send(long offset, ProviderEvent value) {
        consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, TRANSACTION, value));
    }

    private OffsetAndMetadata committed() {
        return consumer.committed(Set.of(PARTITION)).get(PARTITION);
    }

    /** Acknowledges each write as it comes, until {@code count} were written. */
    private void acknowledgeUntil(int count) {
        for (int written = 1; written <= count; written++) {
            int expected = written;
            await().atMost(WAIT).until(() -> producer.history().size() >= expected);
            await().atMost(WAIT).until(producer::completeNext);
        }
    }

    private static ProviderEvent query(ProviderStatus status) {
        return ProviderEvent.newBuilder()
                .setEventId("sq:" + PROVIDER + ":" + TRANSACTION + ":" + status.name())
                .setProvider(PROVIDER)
                .setProviderEventId("status-query:" + TRANSACTION + ":" + status.name())
                .setTransactionId(TRANSACTION)
                .setProviderReference("CIP-123")
                .setStatus(status)
                .setAmount(new Money(12_500L, "PEN"))
                .setFee(new Money(150L, "PEN"))
                .setSource(ProviderEventSource.STATUS_QUERY)
                .setOccurredAt(Instant.parse("2026-12-02T06:55:00Z"))
                .setReceivedAt(Instant.parse("2026-12-02T06:56:00Z"))
                .setTransition(StatusTransition.APPLIED)
                .setPreviousStatus(ProviderStatus.PENDING)
                .build();
    }

    private static ProviderEvent webhook(ProviderStatus status, StatusTransition transition) {
        return ProviderEvent.newBuilder(query(status))
                .setEventId("pev_" + status.name())
                .setProviderEventId("hook-" + status.name())
                .setSource(ProviderEventSource.WEBHOOK)
                .setTransition(transition)
                .build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
