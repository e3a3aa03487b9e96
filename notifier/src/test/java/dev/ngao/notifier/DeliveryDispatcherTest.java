package dev.ngao.notifier;

import dev.ngao.platform.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryDispatcherTest {

    private static final WebhookSecret SECRET = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final Map<String, MerchantEndpoint> MERCHANTS = Map.of("acme",
            new MerchantEndpoint("acme", URI.create("https://acme.example/hooks"), List.of(SECRET)));
    private static final RetrySchedule SCHEDULE = new RetrySchedule(Duration.ofSeconds(5), Duration.ofMinutes(10),
            Duration.ofHours(1));

    @TempDir
    Path directory;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScriptedTransport transport = new ScriptedTransport();
    private NotifierStore store;
    private DeliveryDispatcher dispatcher;

    @BeforeEach
    void open() {
        store = NotifierStore.open(directory);
        dispatcher = new DeliveryDispatcher(store, MERCHANTS, transport, SCHEDULE, Duration.ofSeconds(1), 8,
                Duration.ofSeconds(1), Duration.ofDays(35), clock, new SplittableRandom(3),
                new NotifierMetrics(registry));
    }

    @AfterEach
    void close() {
        dispatcher.close();
        store.close();
    }

    @Test
    void shouldRetryUntilAcknowledgedAndRecordEveryAttemptWhenTheMerchantFailsFirst() throws Exception {
        // Given
        String webhookId = pendingDelivery("txn-1");
        transport.answers.add(Future.succeededFuture(503));
        transport.answers.add(Future.failedFuture(new ConnectException("Connection refused")));
        transport.answers.add(Future.succeededFuture(204));

        // When: each pass finds the delivery due once the clock passes its next attempt
        for (int pass = 0; pass < 3; pass++) {
            dispatcher.dispatchNow();
            clock.advance(SCHEDULE.backoffCeiling(pass + 1));
        }
        dispatcher.dispatchNow();

        // Then
        Delivery delivery = store.delivery(webhookId).orElseThrow();
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.ACKNOWLEDGED);
        assertThat(delivery.attempts()).extracting(DeliveryAttempt::httpStatus).containsExactly(503, null, 204);
        assertThat(delivery.attempts().get(1).error()).contains("Connection refused");
        assertThat(delivery.nextAttemptAt()).isNull();
        assertThat(store.due(clock.instant().plus(Duration.ofDays(1)), 10, id -> false)).isEmpty();
        assertThat(transport.sent).hasSize(3);
        assertThat(registry.counter(NotifierMetrics.DELIVERIES, "outcome", "acknowledged").count()).isEqualTo(1.0);
        assertThat(registry.counter(NotifierMetrics.ATTEMPTS, "result", "failed").count()).isEqualTo(2.0);
    }

    @Test
    void shouldSignEachAttemptWithTheStandardWebhookHeadersWhenSending() throws Exception {
        // Given
        String webhookId = pendingDelivery("txn-2");
        transport.answers.add(Future.succeededFuture(200));

        // When
        dispatcher.dispatchNow();

        // Then
        Sent sent = transport.sent.get(0);
        assertThat(sent.headers()).containsEntry(WebhookSigner.ID_HEADER, webhookId)
                .containsEntry(WebhookSigner.TIMESTAMP_HEADER, Long.toString(clock.instant().getEpochSecond()));
        assertThat(WebhookSigner.verify(SECRET, webhookId, clock.instant().getEpochSecond(), sent.body(),
                sent.headers().get(WebhookSigner.SIGNATURE_HEADER))).isTrue();
        assertThat(new String(sent.body(), StandardCharsets.UTF_8)).isEqualTo(store.delivery(webhookId).orElseThrow().body());
    }

    @Test
    void shouldGiveUpAtTheDeadlineWhenEveryAttemptFails() throws Exception {
        // Given
        String webhookId = pendingDelivery("txn-3");
        for (int i = 0; i < 10_000; i++) {
            transport.answers.add(Future.succeededFuture(500));
        }

        // When: passes every minute for longer than the give-up period
        for (int minute = 0; minute <= 70; minute++) {
            dispatcher.dispatchNow();
            clock.advance(Duration.ofMinutes(1));
        }

        // Then
        Delivery delivery = store.delivery(webhookId).orElseThrow();
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.GAVE_UP);
        Instant first = delivery.attempts().get(0).attemptedAt();
        Instant last = delivery.attempts().get(delivery.attempts().size() - 1).attemptedAt();
        assertThat(last).isAfterOrEqualTo(SCHEDULE.deadline(first)).isBefore(SCHEDULE.deadline(first).plusSeconds(61));
        assertThat(store.due(clock.instant().plus(Duration.ofDays(1)), 10, id -> false)).isEmpty();
        assertThat(registry.counter(NotifierMetrics.DELIVERIES, "outcome", "gave_up").count()).isEqualTo(1.0);
    }

    @Test
    void shouldKeepAPendingDeliveryWhenTheStoreIsReopened() {
        // Given
        String webhookId = pendingDelivery("txn-4");
        dispatcher.close();
        store.close();

        // When
        store = NotifierStore.open(directory);

        // Then
        assertThat(store.due(clock.instant(), 10, id -> false)).containsExactly(webhookId);
        dispatcher = new DeliveryDispatcher(store, MERCHANTS, transport, SCHEDULE, Duration.ofSeconds(1), 8,
                Duration.ofSeconds(1), Duration.ofDays(35), clock, new SplittableRandom(3),
                new NotifierMetrics(registry));
    }

    private String pendingDelivery(String transactionId) {
        TransactionFacts facts = TransactionFacts.of(Events.request(transactionId, "acme", 2_500), clock.instant());
        FinalStatusEvent event = new FinalStatusEvent(transactionId, FinalStatus.SUCCEEDED, null, clock.instant());
        Delivery delivery = Delivery.waiting(event, clock.instant()).scheduled(facts, true, clock.instant());
        store.putDelivery(null, delivery, true);
        return delivery.webhookId();
    }

    record Sent(URI url, Map<String, String> headers, byte[] body) {
    }

    /** Answers attempts from a script, in order; records what was sent. */
    static final class ScriptedTransport implements WebhookTransport {
        final Deque<Future<Integer>> answers = new ArrayDeque<>();
        final List<Sent> sent = new ArrayList<>();

        @Override
        public synchronized Future<Integer> post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
            sent.add(new Sent(url, headers, body));
            Future<Integer> answer = answers.poll();
            return answer != null ? answer : Future.failedFuture(new IllegalStateException("no answer scripted"));
        }

        @Override
        public void close() {
        }
    }
}
