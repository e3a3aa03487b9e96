package dev.ngao.ingest.card;

import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.ingest.RouteHarness.MerchantApiSettings;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.schemas.SampleEvents;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The synchronous card authorization: risk's decision within the deadline, else the configured default
 * (DECLINE, APPROVE for a test marked {@link TimeoutDefaultApprove}).
 */
@ExtendWith(RouteHarness.class)
@MerchantApiSettings(authorizationDeadlineMs = CardAuthorizationRoutesTest.DEADLINE_MS,
        authorizationTimeoutOutcome = Outcome.DECLINE, kafkaTimeoutMs = CardAuthorizationRoutesTest.KAFKA_TIMEOUT_MS)
class CardAuthorizationRoutesTest {

    static final long DEADLINE_MS = 400;
    static final long KAFKA_TIMEOUT_MS = 5_000;
    private static final String PATH = "/v1/card-authorizations";
    private static final String BODY = """
            {"cardId": "%s", "amount": "35.90", "currency": "PEN", "merchantCategoryCode": "5411",
             "merchantCountry": "PE", "networkReference": "auth-000123"}""".formatted(MerchantApiHarness.CARD_ID);

    /** The test's authorization answers APPROVE when no decision came in time. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @MerchantApiSettings(authorizationDeadlineMs = DEADLINE_MS, authorizationTimeoutOutcome = Outcome.APPROVE,
            kafkaTimeoutMs = KAFKA_TIMEOUT_MS)
    @interface TimeoutDefaultApprove {
    }

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
        api.seedCard(MerchantApiHarness.CARD_ID, MerchantApiHarness.MERCHANT, "PEN");
    }

    @Test
    void shouldAnswerRisksApprovalWhenDecisionArrivesInTime() throws Exception {
        // Given an authorization whose request Kafka acknowledged
        CompletableFuture<HttpResponse<String>> response = authorize();
        PaymentRequest request = acknowledgedRequest();

        // When risk-streams approves it within the deadline
        api.statusView.recordDecision(decision(request, Outcome.APPROVE, List.of()));

        // Then the network is told approved, decided by risk, and the answer is recorded as such
        JsonObject answer = answer(response);
        assertThat(answer.getBoolean("approved")).isTrue();
        assertThat(answer.getString("outcome")).isEqualTo("APPROVE");
        assertThat(answer.getString("decidedBy")).isEqualTo("risk");
        assertThat(answer.getString("transactionId")).isEqualTo(request.getTransactionId());
        CardAuthorizationAnswer recorded = recordedAnswer();
        assertThat(recorded.getDecidedBy()).isEqualTo(AuthorizationDecider.RISK);
        assertThat(recorded.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(recorded.getTransactionId()).isEqualTo(request.getTransactionId());
    }

    @Test
    void shouldLogNoLinePerAuthorizationAtInfo() throws Exception {
        // Given the log at INFO, as the service runs
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try {
            // When an authorization is answered
            CompletableFuture<HttpResponse<String>> response = authorize();
            PaymentRequest request = acknowledgedRequest();
            api.statusView.recordDecision(decision(request, Outcome.APPROVE, List.of()));
            assertThat(answer(response).getBoolean("approved")).isTrue();

            // Then nothing at INFO or above names it: the hot path writes its audit record, not a log line
            assertThat(lines.list).filteredOn(line -> line.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                    .noneMatch(line -> line.getFormattedMessage().contains(request.getTransactionId()));
        } finally {
            root.detachAppender(lines);
        }
    }

    @Test
    void shouldWriteRequestKeyedByCardWithItsCategoryAndCountry() throws Exception {
        CompletableFuture<HttpResponse<String>> response = authorize();
        PaymentRequest request = acknowledgedRequest();

        assertThat(api.payments.history().get(0).key()).isEqualTo(MerchantApiHarness.CARD_ID);
        assertThat(request.getType()).isEqualTo(PaymentType.CARD_AUTHORIZATION);
        assertThat(request.getAccountId()).isEqualTo(MerchantApiHarness.CARD_ID);
        assertThat(request.getAmount().getAmountMinor()).isEqualTo(3_590L);
        assertThat(request.getCard().getMerchantCategoryCode()).isEqualTo("5411");
        assertThat(request.getCard().getMerchantCountry()).isEqualTo("PE");
        assertThat(request.getMerchantReference()).isEqualTo("auth-000123");
        api.statusView.recordDecision(decision(request, Outcome.APPROVE, List.of()));
        answer(response);
    }

    @Test
    @TimeoutDefaultApprove
    void shouldAnswerDeclineWithRisksReasonsWhenRiskDeclines() throws Exception {
        CompletableFuture<HttpResponse<String>> response = authorize();
        PaymentRequest request = acknowledgedRequest();

        api.statusView.recordDecision(decision(request, Outcome.DECLINE,
                List.of(new DecisionReason("card-daily-limit", "limits-v1", Outcome.DECLINE, "daily limit exceeded", false, null))));

        JsonObject answer = answer(response);
        assertThat(answer.getBoolean("approved")).isFalse();
        assertThat(answer.getString("decidedBy")).isEqualTo("risk");
        assertThat(answer.getJsonArray("reasons").getJsonObject(0).getString("ruleId")).isEqualTo("card-daily-limit");
    }

    @Test
    @TimeoutDefaultApprove
    void shouldAnswerDeclineWithinTheDeadlineWhenRiskChallenges() throws Exception {
        // Given an authorization risk challenged: a network cannot wait for the payer's step-up verification
        CompletableFuture<HttpResponse<String>> response = authorize();
        PaymentRequest request = acknowledgedRequest();

        api.statusView.recordDecision(decision(request, Outcome.CHALLENGE, List.of()));

        // Then it is answered DECLINE by risk, the answer recording risk's CHALLENGE
        JsonObject answer = answer(response);
        assertThat(answer.getString("outcome")).isEqualTo("DECLINE");
        assertThat(answer.getString("decidedBy")).isEqualTo("risk");
        assertThat(answer.getString("reason")).contains("step-up");
        assertThat(recordedAnswer().getRiskOutcome()).isEqualTo(Outcome.CHALLENGE);
    }

    @Test
    @TimeoutDefaultApprove
    void shouldAnswerDeclineWhenRiskSendsToReview() throws Exception {
        CompletableFuture<HttpResponse<String>> response = authorize();
        PaymentRequest request = acknowledgedRequest();

        api.statusView.recordDecision(decision(request, Outcome.REVIEW, List.of()));

        JsonObject answer = answer(response);
        assertThat(answer.getString("outcome")).isEqualTo("DECLINE");
        assertThat(answer.getString("decidedBy")).isEqualTo("risk");
        assertThat(recordedAnswer().getRiskOutcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldAnswerDecisionThatArrivedBeforeKafkasAcknowledgement() throws Exception {
        // Given a decision seen before the request's write was acknowledged (it can overtake the callback)
        CompletableFuture<HttpResponse<String>> response = authorize();
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.payments.history().size() == 1);
        PaymentRequest request = api.payments.history().get(0).value();
        api.statusView.recordDecision(decision(request, Outcome.APPROVE, List.of()));

        // When the write is acknowledged afterwards
        api.payments.completeNext();

        // Then the decision is the answer, not the timeout
        assertThat(answer(response).getString("decidedBy")).isEqualTo("risk");
    }

    @Test
    void shouldApplyTimeoutDefaultDeclineAndRecordItWhenNoDecisionArrives() throws Exception {
        // Given an authorization whose decision never comes
        long startedAt = System.nanoTime();
        CompletableFuture<HttpResponse<String>> response = authorize();
        PaymentRequest request = acknowledgedRequest();

        // Then at the deadline the default applies and says so
        JsonObject answer = answer(response);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        assertThat(tookMs).isGreaterThanOrEqualTo(DEADLINE_MS).isLessThan(DEADLINE_MS + 2_000);
        assertThat(answer.getBoolean("approved")).isFalse();
        assertThat(answer.getString("outcome")).isEqualTo("DECLINE");
        assertThat(answer.getString("decidedBy")).isEqualTo("timeout-default");
        assertThat(answer.getJsonArray("reasons")).isEmpty();

        // And the answer is recorded as a timeout default on cards.authorizations
        CardAuthorizationAnswer recorded = recordedAnswer();
        assertThat(api.answers.history().get(0).key()).isEqualTo(request.getTransactionId());
        assertThat(recorded.getDecidedBy()).isEqualTo(AuthorizationDecider.TIMEOUT_DEFAULT);
        assertThat(recorded.getOutcome()).isEqualTo(Outcome.DECLINE);
        assertThat(recorded.getRiskOutcome()).isNull();
        assertThat(recorded.getDeadlineMs()).isEqualTo(DEADLINE_MS);

        // And the status shows the timeout default, which a late approval by risk does not overturn
        api.statusView.recordDecision(decision(request, Outcome.APPROVE, List.of()));
        JsonObject status = new JsonObject(api.call("GET", "/v1/payments/" + request.getTransactionId(),
                Set.of(Scopes.PAYMENTS_READ), null, null).body());
        assertThat(status.getString("status")).isEqualTo("DECLINED");
        assertThat(status.getJsonObject("decision").getString("decidedBy")).isEqualTo("timeout-default");
        assertThat(status.getJsonObject("decision").getJsonObject("lateRiskDecision").getString("outcome"))
                .isEqualTo("APPROVE");
    }

    @Test
    @TimeoutDefaultApprove
    void shouldApplyConfiguredApproveWhenTimeoutDefaultIsApprove() throws Exception {
        CompletableFuture<HttpResponse<String>> response = authorize();
        acknowledgedRequest();

        JsonObject answer = answer(response);
        assertThat(answer.getBoolean("approved")).isTrue();
        assertThat(answer.getString("decidedBy")).isEqualTo("timeout-default");
        assertThat(recordedAnswer().getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldAnswer503AndDecideNothingWhenKafkaRefusesTheRequest() throws Exception {
        CompletableFuture<HttpResponse<String>> response = authorize();
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.payments.history().size() == 1);

        api.payments.errorNext(new NotEnoughReplicasException("not enough replicas"));

        HttpResponse<String> refused = response.get(5, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        Thread.sleep(DEADLINE_MS + 100);
        assertThat(api.answers.history()).isEmpty();
    }

    @Test
    void shouldAnswer404AndWriteNothingWhenCardIsUnknownOrAnotherMerchants() throws Exception {
        api.seedCard("card_ffffffffffffffffffffffffffffffff", MerchantApiHarness.OTHER_MERCHANT, "PEN");

        HttpResponse<String> unknown = api.call("POST", PATH, Set.of(Scopes.CARDS_AUTHORIZE), "application/json",
                BODY.replace(MerchantApiHarness.CARD_ID, "card_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"));
        HttpResponse<String> others = api.call("POST", PATH, Set.of(Scopes.CARDS_AUTHORIZE), "application/json",
                BODY.replace(MerchantApiHarness.CARD_ID, "card_ffffffffffffffffffffffffffffffff"));

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(others.statusCode()).isEqualTo(404);
        assertThat(others.body()).isEqualTo(unknown.body());
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldAnswer422WhenCurrencyIsNotTheCards() throws Exception {

        HttpResponse<String> response = api.call("POST", PATH, Set.of(Scopes.CARDS_AUTHORIZE), "application/json",
                BODY.replace("\"PEN\"", "\"USD\""));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("currency");
        assertThat(api.payments.history()).isEmpty();
    }

    private CompletableFuture<HttpResponse<String>> authorize() {
        return api.send("POST", PATH, Set.of(Scopes.CARDS_AUTHORIZE), "application/json", BODY);
    }

    /** Waits for the request's write and acknowledges it. */
    private PaymentRequest acknowledgedRequest() {
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.payments.history().size() == 1);
        api.payments.completeNext();
        return api.payments.history().get(0).value();
    }

    private CardAuthorizationAnswer recordedAnswer() {
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.answers.history().size() == 1);
        return api.answers.history().get(0).value();
    }

    private static JsonObject answer(CompletableFuture<HttpResponse<String>> response) throws Exception {
        HttpResponse<String> answered = response.get(5, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        return new JsonObject(answered.body());
    }

    private static RiskDecision decision(PaymentRequest request, Outcome outcome, List<DecisionReason> reasons) {
        return SampleEvents.riskDecision(request, outcome).setReasons(reasons).setDecidedAt(Instant.now()).build();
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayTheFirstAnswerWithoutSecondAuthorization() throws Exception {
        // Given no decision: the timeout default answers after the deadline

        // When the authorization is posted without a key, then with one, then retried with the same key
        HttpResponse<String> first = api.assertIdempotent(api.payments, "POST", PATH,
                Set.of(Scopes.CARDS_AUTHORIZE), MerchantApiHarness.JSON, BODY);

        // Then the retry got the first decision and no second answer was written
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(first.body()).getString("decidedBy")).isEqualTo("timeout-default");
        assertThat(api.answers.history()).hasSize(1);
    }
}
