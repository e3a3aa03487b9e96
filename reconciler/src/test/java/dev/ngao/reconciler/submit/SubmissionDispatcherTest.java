package dev.ngao.reconciler.submit;

import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderCallOutcome;
import dev.ngao.events.ProviderCallPurpose;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.http.ProviderCallException;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmissionDispatcherTest {

    private static final String HUB = ProviderKind.MOBILE_MONEY_HUB.id();
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final TopicPartition PARTITION = new TopicPartition(Topics.PROVIDER_SUBMISSIONS.name(), 0);

    private final MockConsumer<String, SubmissionIntent> consumer = new MockConsumer<>("earliest");
    private final List<SubmissionResult> recorded = new CopyOnWriteArrayList<>();
    private RecordingAdapter hub;

    @BeforeEach
    void assignPartition() {
        consumer.subscribe(List.of(Topics.PROVIDER_SUBMISSIONS.name()));
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    @Test
    void shouldDeriveTheSameKeyForEveryCallOfOneSubmission() {
        // When the key of one transaction's submission is derived twice
        String first = SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, "tx-1");
        String again = SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, "tx-1");

        // Then it is the same name-based UUID, fixed across versions (a changed derivation would let a call repeated
        // after an upgrade become a second payment)
        assertThat(again).isEqualTo(first);
        assertThat(first).isEqualTo("4088d3c8-4c7b-31fc-b8d8-882a6d0d6e23");
        assertThat(UUID.fromString(first).version()).isEqualTo(3);
        // And another transaction has another key
        assertThat(SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, "tx-2")).isNotEqualTo(first);
    }

    @Test
    void shouldRefuseToDeriveAKeyWithoutATransactionOrAPurpose() {
        assertThatThrownBy(() -> SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.UNKNOWN, "tx-1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCallWithTheDerivedKeyRecordTheAnswerAndThenCommit() {
        // Given two intents, the second a retry of the first (attempt 2)
        hub = new RecordingAdapter(request -> CompletableFuture.completedFuture(new ProviderStatusResult(
                request.getTransactionId(), "HUB-" + request.getTransactionId(), ProviderStatus.PENDING,
                request.getAmount(), null, NOW)));
        consumer.addRecord(intent(0, "tx-1", 1));
        consumer.addRecord(intent(1, "tx-1", 2));

        // When one poll is dispatched
        dispatcher(hub, recorded::addAll).pollOnce();

        // Then both calls carried the one key of the submission
        String key = SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, "tx-1");
        assertThat(hub.keys).containsExactly(key, key);
        // And the answers were recorded, then the offsets committed past them
        assertThat(recorded).extracting(SubmissionResult::getOutcome, SubmissionResult::getAttempt,
                        SubmissionResult::getIdempotencyKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ProviderCallOutcome.ANSWERED, 1, key),
                        org.assertj.core.groups.Tuple.tuple(ProviderCallOutcome.ANSWERED, 2, key));
        assertThat(recorded.get(0).getProviderReference()).isEqualTo("HUB-tx-1");
        assertThat(recorded.get(0).getStatus()).isEqualTo(ProviderStatus.PENDING);
        assertThat(committed()).isEqualTo(2L);
    }

    @Test
    void shouldDispatchAgainWithTheSameKeyAndThenCommitWhenTheResultsWereNotAcknowledged() {
        // Given a call that succeeds and results that Kafka does not take the first time (the broker is away)
        hub = new RecordingAdapter(request -> CompletableFuture.completedFuture(new ProviderStatusResult(
                request.getTransactionId(), "HUB-1", ProviderStatus.PENDING, null, null, NOW)));
        consumer.addRecord(intent(0, "tx-1", 1));
        AtomicInteger publishes = new AtomicInteger();
        SubmissionDispatcher dispatcher = dispatcher(hub, results -> {
            if (publishes.incrementAndGet() == 1) {
                throw new SubmissionResultsNotAcknowledged(new TimeoutException("broker away"));
            }
            recorded.addAll(results);
        });

        // When the poll is dispatched, Then the dispatcher goes on, back at the intent, which stays uncommitted
        dispatcher.pollOnce();
        assertThat(hub.keys).hasSize(1);
        assertThat(committed()).isNull();
        assertThat(consumer.position(PARTITION)).isZero();

        // When the next poll reads it again (a mock consumer hands out each record once: it is given again), Then
        // the same intent is dispatched again with the same key, recorded and committed
        consumer.addRecord(intent(0, "tx-1", 1));
        dispatcher.pollOnce();
        String key = SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, "tx-1");
        assertThat(hub.keys).containsExactly(key, key);
        assertThat(recorded).extracting(SubmissionResult::getTransactionId).containsExactly("tx-1");
        assertThat(committed()).isEqualTo(1L);
    }

    @Test
    void shouldStopWithoutCommittingWhenRecordingFailsOtherwise() {
        // Given a call that succeeds and a sink that fails for another reason than Kafka's acknowledgement
        hub = new RecordingAdapter(request -> CompletableFuture.completedFuture(new ProviderStatusResult(
                request.getTransactionId(), "HUB-1", ProviderStatus.PENDING, null, null, NOW)));
        consumer.addRecord(intent(0, "tx-1", 1));
        SubmissionDispatcher dispatcher = dispatcher(hub, results -> {
            throw new IllegalStateException("interrupted");
        });

        // When the poll is dispatched, Then it fails and the intent stays uncommitted, to be dispatched again
        assertThatThrownBy(dispatcher::pollOnce).isInstanceOf(IllegalStateException.class);
        assertThat(hub.keys).hasSize(1);
        assertThat(committed()).isNull();
    }

    @Test
    void shouldJudgeFailuresAsRefusedRetryableUnreadableOrWithoutAdapter() {
        // Given a refusal, an outage, a timeout and an unreadable answer, and a provider without an adapter
        List<RuntimeException> failures = new ArrayList<>(List.of(
                ProviderCallException.status(HUB, "submit", 422, null),
                ProviderCallException.status(HUB, "submit", 503, null),
                ProviderCallException.transport(HUB, "submit", new java.net.http.HttpTimeoutException("timeout")),
                ProviderCallException.unreadable(HUB, "submit", "not JSON")));
        hub = new RecordingAdapter(request -> CompletableFuture.failedFuture(failures.remove(0)));
        for (int offset = 0; offset < 4; offset++) {
            consumer.addRecord(intent(offset, "tx-" + offset, 1));
        }
        SubmissionIntent elsewhere = SubmissionIntent.newBuilder(intent(4, "tx-4", 1).value()).setProvider("nowhere")
                .build();
        consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), 0, 4, "tx-4", elsewhere));

        // When
        dispatcher(hub, recorded::addAll).pollOnce();

        // Then
        assertThat(recorded).extracting(SubmissionResult::getOutcome).containsExactly(ProviderCallOutcome.REFUSED,
                ProviderCallOutcome.RETRYABLE_FAILURE, ProviderCallOutcome.RETRYABLE_FAILURE,
                ProviderCallOutcome.UNREADABLE, ProviderCallOutcome.NO_ADAPTER);
        assertThat(recorded.get(0).getHttpStatus()).isEqualTo(422);
        assertThat(hub.keys).hasSize(4);
        assertThat(committed()).isEqualTo(5L);
    }

    @Test
    void shouldRecordARetryableFailureWhenTheProviderDoesNotAnswerInTime() {
        // Given a provider that never answers
        hub = new RecordingAdapter(request -> new CompletableFuture<>());
        consumer.addRecord(intent(0, "tx-1", 1));

        // When
        new SubmissionDispatcher(consumer, Map.of(HUB, hub), recorded::addAll, Duration.ofMillis(50),
                Duration.ofMillis(10), Clock.fixed(NOW, ZoneOffset.UTC)).pollOnce();

        // Then
        assertThat(recorded).extracting(SubmissionResult::getOutcome)
                .containsExactly(ProviderCallOutcome.RETRYABLE_FAILURE);
        assertThat(recorded.get(0).getFailure()).isEqualTo("TimeoutException");
    }

    private SubmissionDispatcher dispatcher(ProviderAdapter adapter, SubmissionResultSink sink) {
        return new SubmissionDispatcher(consumer, Map.of(HUB, adapter), sink, Duration.ofSeconds(5),
                Duration.ofMillis(10), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(PARTITION)).get(PARTITION);
        return offset == null ? null : offset.offset();
    }

    private static ConsumerRecord<String, SubmissionIntent> intent(long offset, String transactionId, int attempt) {
        PaymentRequest request = SampleEvents.paymentRequest(transactionId)
                .setAccountId("account-" + transactionId)
                .setAmount(new Money(25_000L, "KES"))
                .setProvider(HUB)
                .setMobileMoney(MobileMoneyDetails.newBuilder().setMsisdn("+254700000001")
                        .setMsisdnMasked("+2547******01").setOperator("MPESA").build())
                .setRequestedAt(NOW)
                .build();
        SubmissionIntent intent = SubmissionIntent.newBuilder().setTransactionId(transactionId).setProvider(HUB)
                .setPurpose(ProviderCallPurpose.SUBMIT).setAttempt(attempt).setRequest(request).setIntendedAt(NOW)
                .build();
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, transactionId, intent);
    }

    /** Answers each submission through {@code answer} and keeps the idempotency keys it was given. */
    private static final class RecordingAdapter implements ProviderAdapter {

        final List<String> keys = new CopyOnWriteArrayList<>();
        private final Function<PaymentRequest, CompletableFuture<ProviderStatusResult>> answer;

        RecordingAdapter(Function<PaymentRequest, CompletableFuture<ProviderStatusResult>> answer) {
            this.answer = answer;
        }

        @Override
        public ProviderKind kind() {
            return ProviderKind.MOBILE_MONEY_HUB;
        }

        @Override
        public CompletionStage<ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey) {
            keys.add(idempotencyKey);
            return answer.apply(request);
        }

        @Override
        public CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public CompletionStage<Boolean> probe() {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public SettlementReportFormat reportFormat() {
            throw new UnsupportedOperationException("not used");
        }
    }
}
