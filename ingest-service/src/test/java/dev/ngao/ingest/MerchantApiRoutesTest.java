package dev.ngao.ingest;

import dev.ngao.events.Outcome;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static dev.ngao.ingest.MerchantApiHarness.CARD_ID;
import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every writing route of the merchant API shares: its scope is required (403 otherwise, nothing written),
 * it answers 2xx only once Kafka acknowledged its event, and 503 with Retry-After when Kafka fails.
 */
@ExtendWith(RouteHarness.class)
class MerchantApiRoutesTest {

    private static final String ORIGINAL = "txn_00000000000000000000000000000001";
    private static final String IN_REVIEW = "txn_00000000000000000000000000000002";

    /** One writing route: how to prepare for it, the request, the producer it writes to, and its success status. */
    record Scenario(String name, String scope, Consumer<MerchantApiHarness> setup, String method, String path,
                    String body, Function<MerchantApiHarness, MockProducer<String, ?>> producer, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scenario> scenarios() {
        Consumer<MerchantApiHarness> none = harness -> { };
        Consumer<MerchantApiHarness> card = harness -> harness.seedCard(CARD_ID, MerchantApiHarness.MERCHANT, "PEN");
        return List.of(
                new Scenario("create CIP", Scopes.PAYMENTS_WRITE, none, "POST", "/v1/cip-payments", """
                        {"documentType": "DNI", "documentNumber": "45678912", "email": "ana@example.pe",
                         "phone": "+51987654321", "amount": "150.50", "expiresIn": "PT48H", "merchantReference": "o-1"}""",
                        harness -> harness.payments, 201),
                new Scenario("issue card", Scopes.CARDS_ISSUE, none, "POST", "/v1/cards", """
                        {"cardholderReference": "holder-42", "kycStatus": "VERIFIED", "currency": "PEN"}""",
                        harness -> harness.cards, 201),
                new Scenario("load card", Scopes.CARDS_MANAGE, card, "POST", "/v1/cards/" + CARD_ID + "/loads", """
                        {"amount": "200.00", "currency": "PEN", "merchantReference": "topup-1"}""",
                        harness -> harness.payments, 202),
                new Scenario("freeze card", Scopes.CARDS_MANAGE, card, "POST", "/v1/cards/" + CARD_ID + "/freeze",
                        "{\"reason\": \"lost\"}", harness -> harness.cards, 202),
                new Scenario("unfreeze card", Scopes.CARDS_MANAGE, card, "POST", "/v1/cards/" + CARD_ID + "/unfreeze",
                        "{}", harness -> harness.cards, 202),
                new Scenario("set spending controls", Scopes.CARDS_MANAGE, card, "PUT",
                        "/v1/cards/" + CARD_ID + "/spending-controls",
                        "{\"spendingLimits\": [{\"interval\": \"DAILY\", \"amountMinor\": 50000}]}",
                        harness -> harness.cards, 202),
                new Scenario("refund", Scopes.REFUNDS_WRITE,
                        harness -> harness.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE),
                        "POST", "/v1/refunds", """
                        {"originalTransactionId": "%s", "amount": "500.00", "currency": "KES", "reason": "DUPLICATE"}"""
                        .formatted(ORIGINAL), harness -> harness.payments, 202),
                new Scenario("resolve review", Scopes.REVIEWS_RESOLVE,
                        harness -> harness.seedCollection(IN_REVIEW, MerchantApiHarness.MERCHANT, 150_000L, Outcome.REVIEW),
                        "POST", "/v1/reviews/" + IN_REVIEW + "/resolution", "{\"outcome\": \"APPROVE\"}",
                        harness -> harness.reviews, 202),
                new Scenario("add list entry", Scopes.LISTS_WRITE, none, "POST", "/v1/lists/block/entries",
                        "{\"dimension\": \"EMAIL\", \"value\": \"fraud@example.com\", \"reason\": \"chargebacks\"}",
                        harness -> harness.lists, 201),
                new Scenario("remove list entry", Scopes.LISTS_WRITE, none, "DELETE",
                        "/v1/lists/block/entries/email_0123456789abcdef0123456789abcdef", null,
                        harness -> harness.lists, 202),
                new Scenario("publish rule set", Scopes.RULES_ADMIN, none, "POST", "/v1/rule-sets", """
                        {"merchantId": "merchant-a", "version": "1", "rules": [{"id": "r1", "type": "velocity-count",
                         "parameters": {"dimension": "IP", "windowSeconds": 60, "max": 3}, "action": "BLOCK",
                         "mode": "SHADOW"}]}""",
                        harness -> harness.ruleSets, 202));
    }

    /** Every route of the merchant API, the read-only and the synchronous ones too, with its scope. */
    static List<Scenario> everyRoute() {
        List<Scenario> routes = new java.util.ArrayList<>(scenarios());
        routes.add(new Scenario("read card", Scopes.CARDS_MANAGE, harness -> { }, "GET", "/v1/cards/" + CARD_ID, null,
                harness -> harness.cards, 200));
        routes.add(new Scenario("authorize card", Scopes.CARDS_AUTHORIZE, harness -> { }, "POST",
                "/v1/card-authorizations", """
                {"cardId": "%s", "amount": "35.90", "currency": "PEN", "merchantCategoryCode": "5411",
                 "merchantCountry": "PE", "networkReference": "auth-1"}""".formatted(CARD_ID),
                harness -> harness.payments, 200));
        return routes;
    }

    private MerchantApiHarness harness;

    @BeforeEach
    void start(MerchantApiHarness harness) {
        this.harness = harness;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRoute")
    void shouldAnswer403AndWriteNothingWhenKeyLacksTheRoutesScope(Scenario scenario) {
        // Given a caller with every scope but the one the route requires
        scenario.setup().accept(harness);
        Set<String> scopes = new HashSet<>(Scopes.ALL);
        scopes.remove(scenario.scope());

        // When it calls the route
        HttpResponse<String> response = harness.call(scenario.method(), scenario.path(), scopes, JSON, scenario.body());

        // Then it is refused, and nothing reached Kafka
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).endsWith("/insufficient-scope");
        assertThat(response.body()).contains(scenario.scope());
        assertThat(scenario.producer().apply(harness).history()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldAnswerOnlyAfterKafkaAcknowledged(Scenario scenario) throws Exception {
        // Given a valid request sent while Kafka has not acknowledged yet
        scenario.setup().accept(harness);
        MockProducer<String, ?> producer = scenario.producer().apply(harness);
        CompletableFuture<HttpResponse<String>> response = harness.send(scenario.method(), scenario.path(),
                Set.of(scenario.scope()), JSON, scenario.body());
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);

        // Then no answer is given before the acknowledgement
        Thread.sleep(100);
        assertThat(response).isNotDone();

        // When Kafka acknowledges
        producer.completeNext();

        // Then the route answers its success
        HttpResponse<String> answered = response.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(scenario.status());
        assertThat(answered.headers().firstValue("Content-Type")).hasValue(JSON);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldAnswer503WithRetryAfterWhenKafkaFails(Scenario scenario) throws Exception {
        // Given a valid request whose write Kafka refuses
        scenario.setup().accept(harness);
        MockProducer<String, ?> producer = scenario.producer().apply(harness);
        CompletableFuture<HttpResponse<String>> response = harness.send(scenario.method(), scenario.path(),
                Set.of(scenario.scope()), JSON, scenario.body());
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("not enough replicas"));

        // Then the caller is told to retry later
        HttpResponse<String> refused = response.get(5, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(refused.body()).getString("type")).endsWith("/unavailable");
    }

    /** The writing routes that create something: every POST (PUT is idempotent by itself, DELETE too). */
    static List<Scenario> creatingScenarios() {
        return scenarios().stream().filter(scenario -> scenario.method().equals("POST")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creatingScenarios")
    void shouldRequireIdempotencyKeyAndReplayTheFirstAnswerWithoutSecondEvent(Scenario scenario) {
        // Given what the route needs
        scenario.setup().accept(harness);

        // When it is posted without a key (400), with one (written once), and again with the same key
        HttpResponse<String> first = harness.assertIdempotent(scenario.producer().apply(harness), scenario.method(),
                scenario.path(), Set.of(scenario.scope()), JSON, scenario.body());

        // Then the first answer was the route's success, and the replay repeated it (checked by the harness)
        assertThat(first.statusCode()).isEqualTo(scenario.status());
    }
}
