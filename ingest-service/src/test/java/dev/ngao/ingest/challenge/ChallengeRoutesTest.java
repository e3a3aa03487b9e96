package dev.ngao.ingest.challenge;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ResolutionSource;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RouteHarness.class)
class ChallengeRoutesTest {

    private static final String TRANSACTION = "txn_00000000000000000000000000000002";
    private static final String PATH = "/v1/payments/" + TRANSACTION + "/challenge";
    private static final Set<String> WRITE = Set.of(Scopes.PAYMENTS_WRITE);
    private static final Set<String> READ = Set.of(Scopes.PAYMENTS_READ);

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    /** A collection risk-streams challenged, its challenge expiring at {@code expiresAt}. */
    private RiskDecision seedChallenge(String transactionId, String merchant, Instant expiresAt) {
        PaymentRequest request = api.seedCollection(transactionId, merchant, 150_000L, null);
        RiskDecision challenge = RiskDecision.newBuilder(MerchantApiHarness.decision(request, Outcome.CHALLENGE))
                .setChallengeExpiresAt(expiresAt)
                .build();
        api.statusView.recordDecision(challenge);
        return challenge;
    }

    private JsonObject status(String transactionId) {
        return new JsonObject(api.call("GET", "/v1/payments/" + transactionId, READ, null, null).body());
    }

    private static String problemType(HttpResponse<String> response) {
        return new JsonObject(response.body()).getString("type");
    }

    @Test
    void shouldShowAPendingChallengeAndWriteThePassedResultAsAnApproval() {
        // Given a payment risk challenged for ten minutes
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        RiskDecision challenge = seedChallenge(TRANSACTION, MerchantApiHarness.MERCHANT, expiresAt);

        // Then its status says a challenge is required, until when, and where to complete it
        JsonObject pending = status(TRANSACTION);
        assertThat(pending.getString("status")).isEqualTo("CHALLENGE_REQUIRED");
        assertThat(pending.getJsonObject("challenge").getString("status")).isEqualTo("PENDING");
        assertThat(pending.getJsonObject("challenge").getString("expiresAt")).isEqualTo(expiresAt.toString());
        assertThat(pending.getJsonObject("challenge").getJsonObject("links").getString("complete")).isEqualTo(PATH);

        // When the merchant posts the passed verification
        HttpResponse<String> response = api.callAcknowledged(api.reviews, "POST", PATH, WRITE, JSON,
                "{\"result\": \"PASSED\"}");

        // Then a challenge result is on risk.reviews, keyed by the payment, approving it
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(response.body()).getString("outcome")).isEqualTo("APPROVE");
        assertThat(api.reviews.history()).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(TRANSACTION);
            ReviewResolution result = record.value();
            assertThat(result.getSource()).isEqualTo(ResolutionSource.CHALLENGE);
            assertThat(result.getOutcome()).isEqualTo(Outcome.APPROVE);
            assertThat(result.getAnalystKeyId()).isEqualTo(MerchantApiHarness.KEY_ID);
        });
        // And the status shows it approved, the challenge passed, and no analyst review
        JsonObject posted = status(TRANSACTION);
        assertThat(posted.getString("status")).isEqualTo("APPROVED");
        assertThat(posted.getJsonObject("challenge").getString("status")).isEqualTo("PASSED");
        assertThat(posted.containsKey("review")).isFalse();

        // And a second result is refused as completed
        HttpResponse<String> again = api.call("POST", PATH, WRITE, JSON, "{\"result\": \"FAILED\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(problemType(again)).endsWith("/challenge-completed");
        assertThat(api.reviews.history()).hasSize(1);

        // And once risk's final decision is read back, it stays so
        api.statusView.recordDecision(RiskDecision.newBuilder(challenge).setKind(DecisionKind.CHALLENGE_RESULT)
                .setOutcome(Outcome.APPROVE).setResolutionId("chl_1").build());
        assertThat(status(TRANSACTION).getJsonObject("challenge").getString("status")).isEqualTo("PASSED");
    }

    @Test
    void shouldShowRisksFinalDeclineOverAPostedPassWhenTheChallengeExpiredFirst() {
        // Given a passed result posted here, and risk's decline of the challenge as expired read afterwards
        RiskDecision challenge = seedChallenge(TRANSACTION, MerchantApiHarness.MERCHANT, Instant.now().plusSeconds(600));
        api.callAcknowledged(api.reviews, "POST", PATH, WRITE, JSON, "{\"result\": \"PASSED\"}");
        api.statusView.recordDecision(RiskDecision.newBuilder(challenge).setKind(DecisionKind.CHALLENGE_RESULT)
                .setOutcome(Outcome.DECLINE).setResolutionId(null).build());

        // Then the status is risk's final word
        JsonObject status = status(TRANSACTION);
        assertThat(status.getString("status")).isEqualTo("DECLINED");
        assertThat(status.getJsonObject("challenge").getString("status")).isEqualTo("EXPIRED");
    }

    @Test
    void shouldShowAnExpiredChallengeAndRefuseAResultAfterTheExpiry() {
        // Given a challenge already past its expiry, not yet declined by risk
        RiskDecision challenge = seedChallenge(TRANSACTION, MerchantApiHarness.MERCHANT,
                Instant.now().minusSeconds(1));

        // When a result is posted
        HttpResponse<String> late = api.call("POST", PATH, WRITE, JSON, "{\"result\": \"PASSED\"}");

        // Then it is refused as expired, nothing written
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(problemType(late)).endsWith("/challenge-expired");
        assertThat(api.reviews.history()).isEmpty();

        // And once risk declined it for want of a result, the challenge reads EXPIRED and the payment DECLINED
        api.statusView.recordDecision(RiskDecision.newBuilder(challenge).setKind(DecisionKind.CHALLENGE_RESULT)
                .setOutcome(Outcome.DECLINE).setResolutionId(null).build());
        JsonObject declined = status(TRANSACTION);
        assertThat(declined.getString("status")).isEqualTo("DECLINED");
        assertThat(declined.getJsonObject("challenge").getString("status")).isEqualTo("EXPIRED");
        assertThat(declined.getJsonObject("challenge").containsKey("links")).isFalse();
        assertThat(problemType(api.call("POST", PATH, WRITE, JSON, "{\"result\": \"PASSED\"}")))
                .endsWith("/challenge-completed");
    }

    @Test
    void shouldAnswer409NotChallengedForAPaymentRiskDidNotChallengeOrHasNotDecided() {
        api.seedCollection(TRANSACTION, MerchantApiHarness.MERCHANT, 150_000L, Outcome.REVIEW);
        HttpResponse<String> inReview = api.call("POST", PATH, WRITE, JSON, "{\"result\": \"PASSED\"}");
        api.seedCollection("txn_00000000000000000000000000000003", MerchantApiHarness.MERCHANT, 1L, null);
        HttpResponse<String> pending = api.call("POST", "/v1/payments/txn_00000000000000000000000000000003/challenge",
                WRITE, JSON, "{\"result\": \"PASSED\"}");

        for (HttpResponse<String> response : java.util.List.of(inReview, pending)) {
            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(problemType(response)).endsWith("/not-challenged");
        }
        assertThat(api.reviews.history()).isEmpty();
    }

    @Test
    void shouldAnswer404ForAnUnknownOrAnotherMerchantsPaymentAnd422ForAnotherResult() {
        seedChallenge(TRANSACTION, MerchantApiHarness.OTHER_MERCHANT, Instant.now().plusSeconds(600));
        seedChallenge("txn_00000000000000000000000000000004", MerchantApiHarness.MERCHANT,
                Instant.now().plusSeconds(600));

        assertThat(api.call("POST", PATH, WRITE, JSON, "{\"result\": \"PASSED\"}").statusCode()).isEqualTo(404);
        assertThat(api.call("POST", "/v1/payments/txn_nope/challenge", WRITE, JSON, "{\"result\": \"PASSED\"}")
                .statusCode()).isEqualTo(404);
        String own = "/v1/payments/txn_00000000000000000000000000000004/challenge";
        assertThat(api.call("POST", own, WRITE, JSON, "{\"result\": \"MAYBE\"}").statusCode()).isEqualTo(422);
        assertThat(api.call("POST", own, WRITE, JSON, "{\"result\": \"PASSED\", \"otp\": \"123456\"}").statusCode())
                .isEqualTo(422);
        assertThat(api.call("POST", own, READ, JSON, "{\"result\": \"PASSED\"}").statusCode()).isEqualTo(403);
        assertThat(api.reviews.history()).isEmpty();
    }

    @Test
    void shouldNotLetAnAnalystResolveAChallengedPayment() {
        seedChallenge(TRANSACTION, MerchantApiHarness.MERCHANT, Instant.now().plusSeconds(600));

        HttpResponse<String> resolution = api.call("POST", "/v1/reviews/" + TRANSACTION + "/resolution",
                Set.of(Scopes.REVIEWS_RESOLVE), JSON, "{\"outcome\": \"APPROVE\"}");

        assertThat(resolution.statusCode()).isEqualTo(409);
        assertThat(problemType(resolution)).endsWith("/not-in-review");
        assertThat(api.reviews.history()).isEmpty();
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayTheFirstResultWithoutASecondEvent() {
        seedChallenge(TRANSACTION, MerchantApiHarness.MERCHANT, Instant.now().plusSeconds(600));

        HttpResponse<String> first = api.assertIdempotent(api.reviews, "POST", PATH, WRITE, JSON,
                "{\"result\": \"FAILED\"}");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(api.reviews.history()).singleElement()
                .satisfies(record -> assertThat(record.value().getOutcome()).isEqualTo(Outcome.DECLINE));
    }
}
