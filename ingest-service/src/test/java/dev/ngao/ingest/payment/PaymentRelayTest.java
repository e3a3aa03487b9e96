package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.ingest.idempotency.AcceptedClaim;
import dev.ngao.ingest.idempotency.ClaimPayload;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.platform.testing.MutableClock;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay on its own: what it tracks, when it publishes, and its bounds. */
class PaymentRelayTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final Vertx vertx = Vertx.vertx();
    private final MutableClock clock = new MutableClock(NOW);
    private final MockProducer<String, PaymentRequest> producer =
            new MockProducer<>(true, null, new StringSerializer(), (topic, event) -> new byte[0]);
    private final SealedPaymentRequests sealer = SealedPaymentRequests.withAvroBinary(new byte[32]);
    private final Set<String> readBeforeStart = new HashSet<>();
    private final PaymentRelay relay = new PaymentRelay(new PaymentRequestPublisher(vertx, producer, 1_000), sealer,
            readBeforeStart::contains, clock, GRACE, 2);

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldPublishAMissingEventOnlyAfterTheGracePeriod() {
        relay.accepted(accepted("txn_1", NOW, false));

        clock.advance(GRACE.minusSeconds(1));
        assertThat(relay.sweep()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(relay.sweep()).isEqualTo(1);

        assertThat(producer.history()).extracting(record -> record.value().getTransactionId()).containsExactly("txn_1");
        await().atMost(5, TimeUnit.SECONDS).until(() -> relay.pendingCount() == 0);
        assertThat(relay.republishedCount()).isEqualTo(1);
    }

    @Test
    void shouldForgetAnEventOnceItIsReadBack() {
        relay.accepted(accepted("txn_1", NOW, false));

        relay.published("txn_1");
        clock.advance(GRACE);

        assertThat(relay.sweep()).isZero();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldNotTrackAClaimWhoseEventWasReadBeforeTheClaim() {
        relay.published("txn_1");

        relay.accepted(accepted("txn_1", NOW, false));

        assertThat(relay.pendingCount()).isZero();
    }

    @Test
    void shouldNotTrackAClaimFoundAtStartWhoseEventTheViewAlreadyHolds() {
        readBeforeStart.add("txn_1");

        relay.accepted(accepted("txn_1", NOW, true));
        relay.accepted(accepted("txn_2", NOW, true));

        assertThat(relay.pendingCount()).isEqualTo(1);
    }

    @Test
    void shouldNotTrackAClaimOlderThanTheHorizon() {
        relay.accepted(accepted("txn_1", NOW.minus(PaymentRelay.HORIZON).minusSeconds(1), true));

        assertThat(relay.pendingCount()).isZero();
    }

    @Test
    void shouldTellTheRouteToRefuseNewPaymentsWhenFull() {
        relay.accepted(accepted("txn_1", NOW, false));
        assertThat(relay.saturated()).isFalse();
        relay.accepted(accepted("txn_2", NOW, false));
        assertThat(relay.saturated()).isTrue();

        relay.published("txn_1");

        assertThat(relay.saturated()).isFalse();
    }

    @Test
    void shouldDropAnEventThatCannotBeOpened() {
        relay.accepted(new AcceptedClaim("merchant:merchant-a|k", new ClaimPayload("txn_1", new byte[40]), NOW, false));
        clock.advance(GRACE);

        relay.sweep();

        assertThat(relay.pendingCount()).isZero();
        assertThat(producer.history()).isEmpty();
    }

    private AcceptedClaim accepted(String transactionId, Instant claimedAt, boolean presentAtStart) {
        PaymentRequest event = new PaymentRequestEvents(
                new PiiProtector("test-pepper-0123456789".getBytes(StandardCharsets.UTF_8)), clock)
                .create(transactionId, new ValidPaymentRequest(PaymentType.MOBILE_MONEY_COLLECTION, 100L, "KES",
                        "+254712345678", MobileMoneyOperator.MPESA, "KE", "order-42", null), "merchant-a", "key-a");
        return new AcceptedClaim("merchant:merchant-a|" + transactionId,
                new ClaimPayload(transactionId, sealer.seal(event)), claimedAt, presentAtStart);
    }
}
