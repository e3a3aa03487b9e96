package dev.ngao.ingest;

import dev.ngao.platform.auth.RequestSigner;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ngao.ingest.DoorFixture.KEY_A;
import static dev.ngao.ingest.DoorFixture.KEY_B;
import static dev.ngao.ingest.DoorFixture.SECRET_A;
import static dev.ngao.ingest.DoorFixture.SECRET_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Idempotency-Key on POST /v1/payments, over HTTP, with Kafka acknowledgements in the test's hands. */
class IdempotencyApiTest {

    private static final String OTHER_BODY = HttpTestClient.VALID_BODY.replace("order-42", "order-43");

    private DoorFixture api;

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldReplayTheFirstAnswerByteForByteAndWriteNoSecondEventWhenRetried() throws Exception {
        // Given a payment accepted under a key
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());
        HttpResponse<String> first = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "order-42-try");

        // When the merchant retries with the same key and body
        HttpResponse<String> retry = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "order-42-try");

        // Then the retry gets the same status, headers and body, marked as a replay, and no second event is written
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(first.statusCode());
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(retry.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldRefuseWith422WhenTheKeyIsReusedWithAnotherBody() throws Exception {
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());
        api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "key-1");

        HttpResponse<String> reused = api.client.postPaymentWithKey(KEY_A, SECRET_A, OTHER_BODY, "key-1");

        assertProblem(reused, 422, "idempotency-key-reused");
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldAnswer400WhenTheKeyIsMissing() throws Exception {
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());

        HttpResponse<String> response = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, null);

        assertProblem(response, 400, "idempotency-key-required");
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldAnswer400WhenTheKeyIsTooLongOrRepeated() throws Exception {
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());

        HttpResponse<String> tooLong = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k".repeat(256));
        HttpResponse<String> longest = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k".repeat(255));
        URI payments = URI.create("http://127.0.0.1:" + api.server.actualPort() + "/v1/payments");
        HttpResponse<String> repeated = HttpClient.newHttpClient().send(new RequestSigner(KEY_A, SECRET_A)
                        .sign("POST", payments, HttpTestClient.VALID_BODY)
                        .applyTo(HttpRequest.newBuilder(payments))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "one").header("Idempotency-Key", "two")
                        .POST(HttpRequest.BodyPublishers.ofString(HttpTestClient.VALID_BODY)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertProblem(tooLong, 400, "idempotency-key-invalid");
        assertProblem(repeated, 400, "idempotency-key-invalid");
        assertThat(longest.statusCode()).isEqualTo(202);
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldWriteOneEventAndGiveIdenticalAnswersWhenDuplicatesArriveConcurrently() throws Exception {
        // Given ten identical requests in flight at once, while Kafka has not acknowledged their claims yet
        api = new DoorFixture(false, Duration.ofSeconds(10), Clock.systemUTC(), List.of());
        api.claimLog.holdAppends(true);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int index = 0; index < 10; index++) {
            responses.add(api.client.postPaymentWithKeyAsync(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "burst-1"));
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.claimLog.heldCount() == 10);
        assertThat(api.payments.history()).isEmpty();

        // When Kafka acknowledges the claims, in the order they were written
        api.claimLog.landHeld();

        // Then all ten get the same 202, and the first claim's event is the one event
        List<String> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> answer = response.get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(202);
            bodies.add(answer.body());
        }
        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(new JsonObject(bodies.get(0)).getString("transactionId"))
                .isEqualTo(api.payments.history().get(0).value().getTransactionId());
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldAnswerARetryInFlightWithTheFirstAnswerOnceKafkaOrderedTheirClaims() throws Exception {
        // Given a first request whose claim Kafka has not acknowledged, and its retry meanwhile
        api = new DoorFixture(true, Duration.ofMillis(200), Clock.systemUTC(), List.of());
        api.claimLog.holdAppends(true);
        CompletableFuture<HttpResponse<String>> first =
                api.client.postPaymentWithKeyAsync(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "slow-1");
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.claimLog.heldCount() == 1);
        CompletableFuture<HttpResponse<String>> retry =
                api.client.postPaymentWithKeyAsync(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "slow-1");
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.claimLog.heldCount() == 2);

        // When Kafka acknowledges both
        api.claimLog.landHeld();

        // Then the first is accepted, the retry is its replay, and one event is written
        assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(retry.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(retry.get().body()).isEqualTo(first.get().body());
        assertThat(retry.get().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.get().headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldScopeKeysPerMerchantWhenTwoMerchantsUseTheSameKey() throws Exception {
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());

        HttpResponse<String> ofA = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "shared-key");
        HttpResponse<String> ofB = api.client.postPaymentWithKey(KEY_B, SECRET_B, HttpTestClient.VALID_BODY, "shared-key");

        assertThat(ofA.statusCode()).isEqualTo(202);
        assertThat(ofB.statusCode()).isEqualTo(202);
        assertThat(ofA.body()).isNotEqualTo(ofB.body());
        assertThat(api.payments.history()).hasSize(2);
    }

    @Test
    void shouldFreeTheKeyWhenTheFirstRequestWasRefused() throws Exception {
        // Given a request refused for an invalid amount
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());
        HttpResponse<String> refused = api.client.postPaymentWithKey(KEY_A, SECRET_A,
                HttpTestClient.VALID_BODY.replace("1500.50", "1500.505"), "fix-and-retry");

        // When the merchant corrects it and retries with the same key
        HttpResponse<String> corrected = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "fix-and-retry");

        // Then the refusal was not recorded, and the corrected request is accepted
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(corrected.statusCode()).isEqualTo(202);
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldLetARetryWriteWhenKafkaRefusedTheFirstWrite() throws Exception {
        // Given a first request whose one write, its claim, Kafka refused
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());
        api.claimLog.holdAppends(true);
        CompletableFuture<HttpResponse<String>> first =
                api.client.postPaymentWithKeyAsync(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "refused-write");
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.claimLog.heldCount() == 1);
        api.claimLog.failHeld();
        assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThat(api.payments.history()).isEmpty();

        // When the merchant retries
        api.claimLog.holdAppends(false);
        HttpResponse<String> retry = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "refused-write");

        // Then the retry is accepted and writes the one event
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldReplayTheLateAcceptanceWhenKafkaAcknowledgedAfterTheAnswerTimedOut() throws Exception {
        // Given a first request answered 503 because Kafka's acknowledgement of its claim came too late
        api = new DoorFixture(true, Duration.ofMillis(100), Clock.systemUTC(), List.of());
        api.claimLog.holdAppends(true);
        HttpResponse<String> first = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "late-ack");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(api.payments.history()).isEmpty();

        // When the claim lands after all
        api.claimLog.holdAppends(false);
        api.claimLog.landHeld();

        // Then its event is published, and the retry gets the 202 the first caller never saw, with that event's
        // transaction id, and no second event
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.payments.history().size() == 1);
        HttpResponse<String> retry = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "late-ack");
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(retry.body()).getString("transactionId"))
                .isEqualTo(api.payments.history().get(0).value().getTransactionId());
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldAnswer503WithoutWritingWhenTheClaimLogIsUnavailable() throws Exception {
        api = new DoorFixture(true, Duration.ofSeconds(5), Clock.systemUTC(), List.of());
        api.claimLog.failAppends(true);

        HttpResponse<String> response = api.client.postPaymentWithKey(KEY_A, SECRET_A, HttpTestClient.VALID_BODY, "k-1");

        assertProblem(response, 503, "unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(api.payments.history()).isEmpty();
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).endsWith("/" + type);
    }
}
