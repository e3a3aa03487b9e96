package dev.ngao.notifier;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationIntakeTest {

    private static final TopicPartition REQUESTS = new TopicPartition("requests", 0);
    private static final TopicPartition DECISIONS = new TopicPartition("decisions", 0);
    private static final TopicPartition EVENTS = new TopicPartition("events", 0);
    private static final Map<String, MerchantEndpoint> MERCHANTS = Map.of("acme", new MerchantEndpoint("acme",
            URI.create("https://acme.example/hooks"), List.of(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))));

    @TempDir
    Path directory;
    private final MockConsumer<String, PaymentRequest> requests = consumer(REQUESTS);
    private final MockConsumer<String, RiskDecision> decisions = consumer(DECISIONS);
    private final MockConsumer<String, ProviderEvent> events = consumer(EVENTS);
    private final MutableClock clock = new MutableClock(Events.REQUESTED_AT.plusSeconds(1));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private NotifierStore store;
    private NotificationIntake intake;
    private long requestOffset;
    private long decisionOffset;
    private long eventOffset;

    @BeforeEach
    void open() {
        store = NotifierStore.open(directory);
        intake = newIntake();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldScheduleOneDeliveryWhenTheSameFinalStatusArrivesTwice() {
        // Given
        request("txn-1", "acme");
        decision(Events.decision("txn-1", "acme", Outcome.DECLINE));
        decision(Events.decision("txn-1", "acme", Outcome.DECLINE));
        request("txn-2", "acme");
        event(Events.providerEvent("txn-2", "e1", ProviderStatus.SUCCEEDED));
        event(Events.providerEvent("txn-2", "e2", ProviderStatus.SUCCEEDED));

        // When
        intake.pollOnce();

        // Then
        assertThat(store.byTransaction("txn-1", 10)).singleElement()
                .satisfies(delivery -> assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING));
        assertThat(store.byTransaction("txn-2", 10)).singleElement()
                .satisfies(delivery -> assertThat(delivery.finalStatus()).isEqualTo(FinalStatus.SUCCEEDED));
        assertThat(registry.counter(NotifierMetrics.DUPLICATES).count()).isEqualTo(2.0);
    }

    @Test
    void shouldNotScheduleAgainWhenReplayedAfterARestart() {
        // Given
        request("txn-1", "acme");
        event(Events.providerEvent("txn-1", "e1", ProviderStatus.SUCCEEDED));
        intake.pollOnce();
        store.close();

        // When: the process restarts and reads the same status again (a replay from older offsets)
        store = NotifierStore.open(directory);
        intake = newIntake();
        event(Events.providerEvent("txn-1", "e1", ProviderStatus.SUCCEEDED));
        intake.pollOnce();

        // Then
        assertThat(store.byTransaction("txn-1", 10)).hasSize(1);
        assertThat(registry.counter(NotifierMetrics.DUPLICATES).count()).isEqualTo(1.0);
    }

    @Test
    void shouldWaitForTheRequestWhenTheFinalStatusComesFirst() {
        // Given
        event(Events.providerEvent("txn-3", "e1", ProviderStatus.FAILED));
        intake.pollOnce();
        assertThat(store.byTransaction("txn-3", 10)).singleElement()
                .satisfies(delivery -> assertThat(delivery.status()).isEqualTo(DeliveryStatus.WAITING_FOR_REQUEST));
        assertThat(store.due(clock.instant(), 10, id -> false)).isEmpty();

        // When
        request("txn-3", "acme");
        intake.pollOnce();

        // Then
        Delivery delivery = store.byTransaction("txn-3", 10).get(0);
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(store.due(clock.instant(), 10, id -> false)).containsExactly(delivery.webhookId());
        assertThat(delivery.body())
                .contains("\"merchantReference\":\"order-txn-3\"", "\"amountMinor\":150050", "\"currency\":\"KES\"",
                        "\"status\":\"FAILED\"", "\"occurredAt\":\"2025-01-15T10:00:05Z\"",
                        "\"paymentType\":\"MOBILE_MONEY_COLLECTION\"")
                .doesNotContain(Events.MSISDN, "+2547", "wallet-hash");
    }

    @Test
    void shouldRecordNoEndpointWhenTheMerchantIsNotConfigured() {
        request("txn-4", "unknown-merchant");
        decision(Events.decision("txn-4", "unknown-merchant", Outcome.DECLINE));

        intake.pollOnce();

        assertThat(store.byTransaction("txn-4", 10)).singleElement()
                .satisfies(delivery -> assertThat(delivery.status()).isEqualTo(DeliveryStatus.NO_ENDPOINT));
        assertThat(store.due(clock.instant(), 10, id -> false)).isEmpty();
    }

    @Test
    void shouldCommitOffsetsWhenWhatTheyCalledForIsStored() {
        request("txn-5", "acme");
        decision(Events.decision("txn-5", "acme", Outcome.APPROVE));
        event(Events.providerEvent("txn-5", "e1", ProviderStatus.SUCCEEDED));

        intake.pollOnce();

        assertThat(requests.committed(Set.of(REQUESTS)).get(REQUESTS).offset()).isEqualTo(1);
        assertThat(decisions.committed(Set.of(DECISIONS)).get(DECISIONS).offset()).isEqualTo(1);
        assertThat(events.committed(Set.of(EVENTS)).get(EVENTS).offset()).isEqualTo(1);
        assertThat(store.byTransaction("txn-5", 10)).hasSize(1);
    }

    private NotificationIntake newIntake() {
        return new NotificationIntake(requests, decisions, events, store, MERCHANTS, Duration.ofMillis(30), clock,
                new NotifierMetrics(registry));
    }

    private void request(String transactionId, String merchantId) {
        requests.addRecord(new ConsumerRecord<>(REQUESTS.topic(), 0, requestOffset++, "account",
                Events.request(transactionId, merchantId, 150_050)));
    }

    private void decision(RiskDecision decision) {
        decisions.addRecord(new ConsumerRecord<>(DECISIONS.topic(), 0, decisionOffset++, decision.getTransactionId(),
                decision));
    }

    private void event(ProviderEvent event) {
        events.addRecord(new ConsumerRecord<>(EVENTS.topic(), 0, eventOffset++, event.getTransactionId(), event));
    }

    private static <V> MockConsumer<String, V> consumer(TopicPartition partition) {
        MockConsumer<String, V> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        return consumer;
    }
}
