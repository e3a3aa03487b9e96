package dev.ngao.ingest;

import dev.ngao.ingest.auth.AuthSettings;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.webhook.ProviderEvents;
import dev.ngao.ingest.webhook.WebhookEndpoint;
import dev.ngao.ingest.webhook.WebhookRoutes;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ngao.ingest.IdempotencyApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Provider webhooks over HTTP, with Kafka acknowledgements in the test's hands. */
class WebhookApiTest {

    private static final String TRANSACTION = "txn_3f9c0b7e5d2a4c61a8e0f1b2c3d4e5f6";
    /** A well-formed id Ngao never submitted. */
    private static final String NEVER_SUBMITTED = "txn_00000000000000000000000000000bad";

    private DoorFixture api;

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldAnswer200OnlyAfterKafkaAcknowledgedTheNormalisedEvent(ProviderCalls provider) throws Exception {
        // Given a validly signed status from the provider, while Kafka has not acknowledged yet
        api = start(false);
        String body = provider.body("evt-1", TRANSACTION, ProviderStatus.SUCCEEDED);
        CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(() -> api.client.post(
                provider.path, provider.signed(body, Instant.now(), ProviderCalls.SECRET), body));
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.providerEvents.history().size() == 1);
        Thread.sleep(100);
        assertThat(response).isNotDone();

        // When Kafka acknowledges
        api.providerEvents.completeNext();

        // Then the provider gets 200, and the event is normalised, keyed by transaction id
        HttpResponse<String> answer = response.get(5, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        ProducerRecord<String, ProviderEvent> record = api.providerEvents.history().get(0);
        assertThat(record.topic()).isEqualTo(Topics.PROVIDER_EVENTS.name());
        assertThat(record.key()).isEqualTo(TRANSACTION);
        ProviderEvent event = record.value();
        assertThat(event.getProvider()).isEqualTo(provider.scheme.provider());
        assertThat(event.getEventId()).isEqualTo(ProviderEvents.eventId(provider.scheme.provider(), "evt-1"));
        assertThat(event.getProviderEventId()).isEqualTo("evt-1");
        assertThat(event.getStatus()).isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(event.getSource()).isEqualTo(ProviderEventSource.WEBHOOK);
        assertThat(event.getTransition()).isEqualTo(StatusTransition.APPLIED);
        assertThat(event.getPreviousStatus()).isNull();
        assertThat(new JsonObject(answer.body()).getString("eventId")).isEqualTo(event.getEventId());
        assertThat(api.audit).contains("webhook.accepted " + provider.scheme.provider() + " APPLIED");
    }

    @Test
    void shouldNormaliseAmountsAndTimesOfEachProvider() throws Exception {
        api = start(true);
        for (ProviderCalls provider : ProviderCalls.values()) {
            send(provider, provider.body("evt-n-" + provider.ordinal(), "txn_n" + provider.ordinal(), ProviderStatus.PENDING));
        }

        List<ProviderEvent> events = api.providerEvents.history().stream().map(ProducerRecord::value).toList();
        assertThat(events).extracting(event -> event.getAmount().getAmountMinor() + " " + event.getAmount().getCurrency())
                .containsExactly("150050 KES", "5000 PEN", "1234 USD");
        // PagoEfectivo's 05:15:30 Lima time is 10:15:30 UTC
        assertThat(events).extracting(ProviderEvent::getOccurredAt).containsExactly(
                Instant.parse("2026-03-01T10:15:30Z"), Instant.parse("2026-03-01T10:15:30Z"),
                Instant.parse("2026-03-01T10:15:30.123Z"));
        assertThat(events).extracting(ProviderEvent::getProviderReference)
                .containsExactly("MMH-8842", "2026030112345", "A1B2C3");
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldRefuseAForgedSignatureWith401AndActOnNothing(ProviderCalls provider) throws Exception {
        api = start(true);
        String body = provider.body("evt-f", TRANSACTION, ProviderStatus.SUCCEEDED);

        HttpResponse<String> response = api.client.post(provider.path,
                provider.signed(body, Instant.now(), "an-attackers-guess-at-the-secret-000"), body);

        assertRefused(provider, response, "FORGED");
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldRefuseATamperedBodyWith401(ProviderCalls provider) throws Exception {
        api = start(true);
        String signedBody = provider.body("evt-t", TRANSACTION, ProviderStatus.FAILED);
        String tampered = provider.body("evt-t", TRANSACTION, ProviderStatus.SUCCEEDED);

        HttpResponse<String> response = api.client.post(provider.path,
                provider.signed(signedBody, Instant.now(), ProviderCalls.SECRET), tampered);

        assertRefused(provider, response, "FORGED");
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldRefuseAStaleTimestampWith401(ProviderCalls provider) throws Exception {
        api = start(true);
        String body = provider.body("evt-s", TRANSACTION, ProviderStatus.SUCCEEDED);

        HttpResponse<String> response = api.client.post(provider.path,
                provider.signed(body, Instant.now().minus(Duration.ofMinutes(6)), ProviderCalls.SECRET), body);

        assertRefused(provider, response, "STALE");
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldRefuseAnUnsignedCallWith401(ProviderCalls provider) throws Exception {
        api = start(true);
        String body = provider.body("evt-u", TRANSACTION, ProviderStatus.SUCCEEDED);

        HttpResponse<String> response = api.client.post(provider.path, Map.of("Content-Type", "application/json"), body);

        assertRefused(provider, response, "UNSIGNED");
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldAcceptTheOldSecretWhileBothAreConfiguredDuringRotation(ProviderCalls provider) throws Exception {
        api = start(true);
        String body = provider.body("evt-r", TRANSACTION, ProviderStatus.SUCCEEDED);

        HttpResponse<String> response = api.client.post(provider.path,
                provider.signed(body, Instant.now(), ProviderCalls.OLD_SECRET), body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(api.providerEvents.history()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldWriteOneEventWhenTheSameEventIsDeliveredTwice(ProviderCalls provider) throws Exception {
        // Given an event delivered, then delivered again later with a fresh signature
        api = start(true);
        String body = provider.body("evt-d", TRANSACTION, ProviderStatus.SUCCEEDED);
        HttpResponse<String> first = send(provider, body);
        HttpResponse<String> redelivery = api.client.post(provider.path,
                provider.signed(body, Instant.now().plusSeconds(30), ProviderCalls.SECRET), body);

        // Then both get the same 200, and one event exists
        assertThat(redelivery.statusCode()).isEqualTo(200);
        assertThat(redelivery.body()).isEqualTo(first.body());
        assertThat(redelivery.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(api.providerEvents.history()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldRecordAConflictAndKeepTheStateWhenSucceededArrivesAfterExpired(ProviderCalls provider) throws Exception {
        // Given a transaction the provider reported expired
        api = start(true);
        send(provider, provider.body("evt-1", TRANSACTION, ProviderStatus.PENDING));
        send(provider, provider.body("evt-2", TRANSACTION, ProviderStatus.EXPIRED));

        // When a success arrives afterwards
        HttpResponse<String> late = send(provider, provider.body("evt-3", TRANSACTION, ProviderStatus.SUCCEEDED));

        // Then it is acknowledged and written as a conflict for review, and the state stays expired
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(late.body()).getString("transition")).isEqualTo("CONFLICT");
        ProviderEvent conflict = api.providerEvents.history().get(2).value();
        assertThat(conflict.getTransition()).isEqualTo(StatusTransition.CONFLICT);
        assertThat(conflict.getPreviousStatus()).isEqualTo(ProviderStatus.EXPIRED);
        assertThat(api.providerStatusView.find(TRANSACTION)).hasValue(ProviderStatus.EXPIRED);
        assertThat(api.providerEvents.history()).extracting(record -> record.value().getTransition())
                .containsExactly(StatusTransition.APPLIED, StatusTransition.APPLIED, StatusTransition.CONFLICT);
    }

    @Test
    void shouldMarkALatePendingAsStaleWithoutMovingTheStateBack() throws Exception {
        api = start(true);
        ProviderCalls provider = ProviderCalls.MOBILE_MONEY;
        send(provider, provider.body("evt-1", TRANSACTION, ProviderStatus.SUCCEEDED));

        send(provider, provider.body("evt-0", TRANSACTION, ProviderStatus.PENDING));

        assertThat(api.providerEvents.history().get(1).value().getTransition()).isEqualTo(StatusTransition.STALE);
        assertThat(api.providerStatusView.find(TRANSACTION)).hasValue(ProviderStatus.SUCCEEDED);
    }

    @Test
    void shouldRefuseWith422WhenAnEventIdComesBackWithOtherContent() throws Exception {
        api = start(true);
        ProviderCalls provider = ProviderCalls.CARD_NETWORK;
        send(provider, provider.body("evt-x", TRANSACTION, ProviderStatus.SUCCEEDED));

        HttpResponse<String> reused = send(provider, provider.body("evt-x", TRANSACTION, ProviderStatus.FAILED));

        assertProblem(reused, 422, "webhook-event-reused");
        assertThat(api.providerEvents.history()).hasSize(1);
    }

    @Test
    void shouldRefuseUnreadablePayloadsWithoutWriting() throws Exception {
        api = start(true);
        ProviderCalls provider = ProviderCalls.MOBILE_MONEY;
        String tooPrecise = provider.body("evt-p", TRANSACTION, ProviderStatus.SUCCEEDED).replace("1500.50", "1500.505");
        String unknownStatus = provider.body("evt-q", TRANSACTION, ProviderStatus.SUCCEEDED).replace("SUCCESSFUL", "PAID");

        HttpResponse<String> amount = send(provider, tooPrecise);
        HttpResponse<String> status = send(provider, unknownStatus);
        HttpResponse<String> malformed = send(provider, "{\"eventId\": ");

        assertProblem(amount, 422, "validation-failed");
        assertThat(new JsonObject(amount.body()).getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("amount");
        assertProblem(status, 422, "validation-failed");
        assertProblem(malformed, 400, "malformed-json");
        assertThat(api.providerEvents.history()).isEmpty();
    }

    @Test
    void shouldAnswer503AndProcessTheRedeliveryWhenKafkaRefusedTheWrite() throws Exception {
        // Given a delivery whose write Kafka refuses
        api = start(false);
        ProviderCalls provider = ProviderCalls.PAGOEFECTIVO;
        String body = provider.body("evt-k", TRANSACTION, ProviderStatus.SUCCEEDED);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> send(provider, body));
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.providerEvents.history().size() == 1);
        api.providerEvents.errorNext(new NotEnoughReplicasException("not enough replicas"));
        assertProblem(first.get(5, TimeUnit.SECONDS), 503, "unavailable");

        // When the provider redelivers
        CompletableFuture<HttpResponse<String>> again = CompletableFuture.supplyAsync(() -> send(provider, body));
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.providerEvents.history().size() == 2);
        api.providerEvents.completeNext();

        // Then it is processed: the failed attempt left neither the event id nor the transaction locked
        assertThat(again.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseEveryCallWhenTheProviderHasNoSecret() throws Exception {
        api = new DoorFixture(true, Duration.ofSeconds(2), Clock.systemUTC(), endpoints(Map.of()));
        ProviderCalls provider = ProviderCalls.MOBILE_MONEY;
        String body = provider.body("evt-1", TRANSACTION, ProviderStatus.SUCCEEDED);

        assertThat(api.client.post(provider.path, provider.signed(body, Instant.now(), ProviderCalls.SECRET), body)
                .statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldRefuseWith404AuditAndWriteNothingWhenTheTransactionWasNeverSubmitted(ProviderCalls provider)
            throws Exception {
        // Given a validly signed status for a transaction Ngao never submitted
        api = start(true);
        String body = provider.body("evt-unknown", NEVER_SUBMITTED, ProviderStatus.SUCCEEDED);

        // When the provider delivers it
        HttpResponse<String> answer = send(provider, body);

        // Then it is refused and audited, nothing reaches providers.events, and its event id stays unclaimed
        assertProblem(answer, 404, WebhookRoutes.UNKNOWN_TRANSACTION);
        Thread.sleep(50);
        assertThat(api.providerEvents.history()).isEmpty();
        assertThat(api.claimLog.records()).isEmpty();
        assertThat(api.providerStatusView.find(NEVER_SUBMITTED)).isEmpty();
        assertThat(api.audit).containsExactly("webhook.refused " + provider.scheme.provider() + " UNKNOWN_TRANSACTION");
    }

    @ParameterizedTest
    @EnumSource(ProviderCalls.class)
    void shouldApplyARefusedEventWhenTheProviderRetriesItOnceThePaymentIsKnown(ProviderCalls provider)
            throws Exception {
        // Given an event refused because its transaction was not known yet
        api = start(true);
        String late = "txn_" + "1".repeat(31) + provider.ordinal();
        String body = provider.body("evt-early", late, ProviderStatus.PENDING);
        assertProblem(send(provider, body), 404, WebhookRoutes.UNKNOWN_TRANSACTION);

        // When the payment is known and the provider retries the same event
        api.submittedTransactions.record(late);
        HttpResponse<String> retried = send(provider, body);

        // Then the retry applies: the refusal kept nothing that would block it
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(retried.body()).getString("transition")).isEqualTo("APPLIED");
        assertThat(api.providerEvents.history()).hasSize(1);
    }

    private DoorFixture start(boolean autoComplete) throws Exception {
        Map<String, String> secrets = new HashMap<>();
        for (ProviderCalls provider : ProviderCalls.values()) {
            secrets.put(provider.secretsKey, ProviderCalls.SECRET + "," + ProviderCalls.OLD_SECRET);
        }
        DoorFixture door = new DoorFixture(autoComplete, Duration.ofSeconds(2), Clock.systemUTC(), endpoints(secrets));
        // The payments these tests stand for, as ingest learns them from payments.requests
        door.submittedTransactions.record(TRANSACTION);
        for (ProviderCalls provider : ProviderCalls.values()) {
            door.submittedTransactions.record("txn_n" + provider.ordinal());
        }
        return door;
    }

    /** The endpoints as the service builds them from its configuration. */
    static List<WebhookEndpoint> endpoints(Map<String, String> secrets) {
        Map<String, Object> values = new HashMap<>(secrets);
        values.put(AuthSettings.MASTER_KEY, java.util.Base64.getEncoder().encodeToString(new byte[32]));
        values.put(IngestConfig.PII_PEPPER, "unit-test-pepper-0123");
        return new IngestConfig(values).webhookEndpoints();
    }

    private HttpResponse<String> send(ProviderCalls provider, String body) {
        return api.client.post(provider.path, provider.signed(body, Instant.now(), ProviderCalls.SECRET), body);
    }

    private void assertRefused(ProviderCalls provider, HttpResponse<String> response, String reason) throws Exception {
        assertProblem(response, 401, "webhook-signature-invalid");
        Thread.sleep(50);
        assertThat(api.providerEvents.history()).isEmpty();
        assertThat(api.claimLog.records()).isEmpty();
        assertThat(api.audit).containsExactly("webhook.refused " + provider.scheme.provider() + " " + reason);
    }
}
