package dev.ngao.ingest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.idempotency.ClaimKey;
import dev.ngao.ingest.idempotency.ClaimOutcome;
import dev.ngao.ingest.idempotency.RecordedAnswer;
import dev.ngao.platform.testing.MutableClock;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ngao.ingest.DoorFixture.KEY_A;
import static dev.ngao.ingest.DoorFixture.SECRET_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * POST /v1/payments with one awaited write, over HTTP, on two instances sharing one claim log and one
 * payments topic (as two pods on one cluster), with Kafka's acknowledgements and the instances' deaths in
 * the test's hands. Each test names the property it proves and fails without it.
 */
class OneWritePaymentsTest {

    private static final String OTHER_BODY = HttpTestClient.VALID_BODY.replace("order-42", "order-43");

    private final List<DoorFixture> instances = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (DoorFixture instance : instances) {
            instance.close();
        }
    }

    @Test
    void shouldDeriveTheTransactionIdFromMerchantAndKeyWhenAccepting() throws Exception {
        DoorFixture api = first(true);

        HttpResponse<String> accepted = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k-7");

        // The answer is a function of the request: the id any attempt of it, anywhere, would get
        String expected = api.paymentWiring.transactionIds().of("merchant-a", "k-7");
        assertThat(expected).matches("txn_[0-9a-f]{32}");
        assertThat(new JsonObject(accepted.body()).getString("transactionId")).isEqualTo(expected);
        assertThat(api.payments.history().get(0).value().getTransactionId()).isEqualTo(expected);
    }

    @Test
    void shouldAcceptWithOneClaimWriteAndWriteNothingForARetry() throws Exception {
        DoorFixture api = first(true);

        api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k-1");
        api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k-1");

        // One record on ingest.idempotency (the claim carrying the event, no completion) and one event
        assertThat(api.claimLog.records()).hasSize(1);
        assertThat(api.claimLog.payloads()).hasSize(1);
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldLetTheFirstClaimInLogOrderWinWhenTwoInstancesRaceDifferentBodies() throws Exception {
        // Given two instances, and Kafka holding the claims back
        DoorFixture first = first(true);
        DoorFixture second = first.sibling(Clock.systemUTC());
        instances.add(second);
        first.claimLog.holdAppends(true);

        // When the second instance writes its claim (body 43) before the first (body 42) under one key
        CompletableFuture<HttpResponse<String>> later =
                second.client.postPaymentWithKeyAsync(KEY_A, SECRET_A, OTHER_BODY, "raced");
        await().atMost(5, TimeUnit.SECONDS).until(() -> first.claimLog.heldCount() == 1);
        CompletableFuture<HttpResponse<String>> earlier =
                first.client.postPaymentWithKeyAsync(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "raced");
        await().atMost(5, TimeUnit.SECONDS).until(() -> first.claimLog.heldCount() == 2);
        first.claimLog.landHeld();

        // Then the claim first in the log wins on both instances: its body is the one payment, the other 422
        assertThat(later.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        IdempotencyApiTest.assertProblem(earlier.get(5, TimeUnit.SECONDS), 422, "idempotency-key-reused");
        assertThat(first.payments.history()).hasSize(1);
        assertThat(first.payments.history().get(0).value().getMerchantReference()).isEqualTo("order-43");
        // and both instances now refuse the other body and replay the winner, without writing
        IdempotencyApiTest.assertProblem(
                first.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "raced"), 422,
                "idempotency-key-reused");
        assertThat(first.client.postPaymentWithKey(KEY_A, SECRET_A, OTHER_BODY, "raced").body())
                .isEqualTo(later.get().body());
        assertThat(first.claimLog.records()).hasSize(2);
    }

    @Test
    void shouldReplayByteForByteOnTheOtherInstanceWithoutWriting() throws Exception {
        DoorFixture first = first(true);
        DoorFixture second = first.sibling(Clock.systemUTC());
        instances.add(second);
        HttpResponse<String> accepted = first.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k-2");

        HttpResponse<String> retry = second.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k-2");

        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(accepted.body());
        assertThat(retry.headers().firstValue("Location")).isEqualTo(accepted.headers().firstValue("Location"));
        assertThat(retry.headers().firstValue("Content-Type")).isEqualTo(accepted.headers().firstValue("Content-Type"));
        assertThat(retry.headers().firstValue("Cache-Control")).isEqualTo(accepted.headers().firstValue("Cache-Control"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.claimLog.records()).hasSize(1);
        assertThat(first.payments.history()).hasSize(1);
    }

    @Test
    void shouldPublishTheEventOfAWinnerThatDiedBeforePublishingItOnce() throws Exception {
        // Given an instance whose claim is in flight when it dies, and a surviving instance
        MutableClock survivorClock = new MutableClock(Instant.now());
        DoorFixture doomed = first(true);
        DoorFixture survivor = doomed.sibling(survivorClock);
        instances.add(survivor);
        doomed.claimLog.holdAppends(true);
        doomed.client.postPaymentWithKeyAsync(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "orphan");
        await().atMost(5, TimeUnit.SECONDS).until(() -> doomed.claimLog.heldCount() == 1);
        doomed.close();
        instances.remove(doomed);

        // When Kafka takes the claim after all: accepted, but nobody alive published its event
        doomed.claimLog.landHeld();
        assertThat(survivor.payments.history()).isEmpty();

        // Then the merchant's retry on the survivor is the first answer, not a second payment
        HttpResponse<String> retry = survivor.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "orphan");
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        // and after the grace period the survivor publishes the event from the claim's sealed copy, once
        survivorClock.advance(Duration.ofSeconds(35));
        assertThat(survivor.paymentWiring.relay().sweep()).isEqualTo(1);
        assertThat(survivor.payments.history()).hasSize(1);
        PaymentRequest event = survivor.payments.history().get(0).value();
        assertThat(event.getTransactionId()).isEqualTo(new JsonObject(retry.body()).getString("transactionId"));
        assertThat(event.getMerchantReference()).isEqualTo("order-42");
        assertThat(event.getMobileMoney().getMsisdn()).isEqualTo("+254712345678");
        await().atMost(5, TimeUnit.SECONDS).until(() -> survivor.paymentWiring.relay().pendingCount() == 0);
        survivorClock.advance(Duration.ofSeconds(35));
        assertThat(survivor.paymentWiring.relay().sweep()).isZero();
        assertThat(survivor.payments.history()).hasSize(1);
    }

    @Test
    void shouldWriteNoSecondPaymentWhenTheWinnerDiedAfterItsEventAndTheRetryComesAfterALease() throws Exception {
        // Given a payment accepted and published by an instance that then dies
        MutableClock survivorClock = new MutableClock(Instant.now());
        DoorFixture doomed = first(true);
        DoorFixture survivor = doomed.sibling(survivorClock);
        instances.add(survivor);
        HttpResponse<String> accepted = doomed.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "dead-winner");
        doomed.close();
        instances.remove(doomed);

        // When the retry comes long after a claim's lease (3 minutes) would have run out
        survivorClock.advance(Duration.ofMinutes(10));
        HttpResponse<String> retry = survivor.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "dead-winner");

        // Then it is the first answer, and there is still one payment (the previous design wrote a second one
        // under a new transaction id here)
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo(accepted.body());
        assertThat(survivor.payments.history()).hasSize(1);
        // nor later: the survivor read the event back, so it has nothing to publish
        survivor.readPaymentsBack();
        survivorClock.advance(Duration.ofSeconds(35));
        assertThat(survivor.paymentWiring.relay().sweep()).isZero();
    }

    @Test
    void shouldNameTheSameTransactionWhenARequestIsRedoneAfterItsKeyExpired() throws Exception {
        // Given a payment accepted, and its key expired (48 hours)
        MutableClock clock = new MutableClock(Instant.now());
        DoorFixture api = instance(new DoorFixture(true, Duration.ofSeconds(5), clock, List.of()));
        HttpResponse<String> accepted = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "old-key");
        clock.advance(Duration.ofHours(49));

        // When the same request comes again
        HttpResponse<String> redone = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "old-key");

        // Then it is the same transaction on the same account: downstream a replay (risk-streams drops a second
        // record of a transaction), never a second payment
        assertThat(redone.body()).isEqualTo(accepted.body());
        List<ProducerRecord<String, PaymentRequest>> events = api.payments.history();
        assertThat(events).hasSize(2);
        assertThat(events.get(1).value().getTransactionId()).isEqualTo(events.get(0).value().getTransactionId());
        assertThat(events.get(1).key()).isEqualTo(events.get(0).key());
    }

    @Test
    void shouldPublishTheEventAgainWhenKafkaRefusedTheWinnersPublication() throws Exception {
        // Given a payment accepted whose event Kafka then refuses
        MutableClock clock = new MutableClock(Instant.now());
        DoorFixture api = instance(new DoorFixture(false, Duration.ofSeconds(5), clock, List.of()));
        HttpResponse<String> accepted = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "refused-event");
        assertThat(accepted.statusCode()).isEqualTo(202);
        api.payments.errorNext(new NotEnoughReplicasException("not enough replicas"));

        // When the grace period has passed
        clock.advance(Duration.ofSeconds(35));
        assertThat(api.paymentWiring.relay().sweep()).isEqualTo(1);
        api.payments.completeNext();

        // Then the event was sent again, the same event, and nothing is left to deliver
        assertThat(api.payments.history()).hasSize(2);
        assertThat(api.payments.history().get(1).value()).isEqualTo(api.payments.history().get(0).value());
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.paymentWiring.relay().pendingCount() == 0);
    }

    @Test
    void shouldReplayAnAnswerRecordedByThePreviousDesignDuringARollingUpgrade() throws Exception {
        // Given a key claimed and completed the previous way (a lease, then a recorded answer)
        DoorFixture api = first(true);
        ClaimKey key = ClaimKey.merchant("merchant-a", "upgraded");
        ClaimOutcome.Won won = (ClaimOutcome.Won) api.claimStore.claim(key, fingerprint(HttpTestClient.VALID_BODY))
                .get(5, TimeUnit.SECONDS);
        RecordedAnswer recorded = new RecordedAnswer(202, List.of(new RecordedAnswer.Header("Location",
                "/v1/payments/txn_0123"), new RecordedAnswer.Header("Content-Type", "application/json")),
                "{\"transactionId\":\"txn_0123\"}".getBytes(StandardCharsets.UTF_8));
        api.claimStore.complete(won.ticket(), recorded).get(5, TimeUnit.SECONDS);

        HttpResponse<String> retry = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "upgraded");

        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo("{\"transactionId\":\"txn_0123\"}");
        assertThat(api.payments.history()).isEmpty();
    }

    private DoorFixture first(boolean autoComplete) throws Exception {
        return instance(new DoorFixture(autoComplete, Duration.ofSeconds(5), Clock.systemUTC(), List.of()));
    }

    private DoorFixture instance(DoorFixture fixture) {
        instances.add(fixture);
        return fixture;
    }

    /** As {@code Fingerprints.ofRequest}: method, path and body. */
    private static String fingerprint(String body) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update("POST\n/v1/payments\n".getBytes(StandardCharsets.UTF_8));
        digest.update(body.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }
}
