package dev.ngao.ingest.review;

import dev.ngao.events.Outcome;
import dev.ngao.events.ReviewResolution;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Set;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RouteHarness.class)
class ReviewRoutesTest {

    private static final String TRANSACTION = "txn_00000000000000000000000000000002";
    private static final String PATH = "/v1/reviews/" + TRANSACTION + "/resolution";
    private static final Set<String> REVIEWS = Set.of(Scopes.REVIEWS_RESOLVE);

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldWriteResolutionAndShowItInTheStatusWhenTransactionIsInReview() {
        // Given a transaction risk-streams sent to review
        api.seedCollection(TRANSACTION, MerchantApiHarness.MERCHANT, 150_000L, Outcome.REVIEW);

        // When an analyst approves it
        HttpResponse<String> response = api.callAcknowledged(api.reviews, "POST", PATH, REVIEWS, JSON,
                "{\"outcome\": \"APPROVE\", \"note\": \"customer confirmed by phone\"}");

        // Then the resolution is on risk.reviews, keyed by the transaction
        assertThat(response.statusCode()).isEqualTo(202);
        ReviewResolution resolution = api.reviews.history().get(0).value();
        assertThat(api.reviews.history().get(0).key()).isEqualTo(TRANSACTION);
        assertThat(resolution.getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(resolution.getAnalystKeyId()).isEqualTo(MerchantApiHarness.KEY_ID);
        assertThat(resolution.getNote()).isEqualTo("customer confirmed by phone");
        // And the status shows it approved, with the review
        JsonObject status = new JsonObject(api.call("GET", "/v1/payments/" + TRANSACTION, Set.of(Scopes.PAYMENTS_READ),
                null, null).body());
        assertThat(status.getString("status")).isEqualTo("APPROVED");
        assertThat(status.getJsonObject("review").getString("outcome")).isEqualTo("APPROVE");

        // And a second resolution is refused: the transaction is no longer in review
        HttpResponse<String> again = api.call("POST", PATH, REVIEWS, JSON, "{\"outcome\": \"DECLINE\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(api.reviews.history()).hasSize(1);
    }

    @Test
    void shouldAnswer409WhenTransactionIsNotInReview() {
        api.seedCollection(TRANSACTION, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);
        HttpResponse<String> approved = api.call("POST", PATH, REVIEWS, JSON, "{\"outcome\": \"DECLINE\"}");

        api.seedCollection("txn_00000000000000000000000000000003", MerchantApiHarness.MERCHANT, 1L, null);
        HttpResponse<String> pending = api.call("POST", "/v1/reviews/txn_00000000000000000000000000000003/resolution",
                REVIEWS, JSON, "{\"outcome\": \"DECLINE\"}");

        for (HttpResponse<String> response : new HttpResponse[]{approved, pending}) {
            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(new JsonObject(response.body()).getString("type")).endsWith("/not-in-review");
        }
        assertThat(api.reviews.history()).isEmpty();
    }

    @Test
    void shouldAnswer404WhenTransactionIsUnknownOrAnotherMerchants() {
        api.seedCollection(TRANSACTION, MerchantApiHarness.OTHER_MERCHANT, 150_000L, Outcome.REVIEW);

        assertThat(api.call("POST", PATH, REVIEWS, JSON, "{\"outcome\": \"APPROVE\"}").statusCode()).isEqualTo(404);
        assertThat(api.call("POST", "/v1/reviews/txn_nope/resolution", REVIEWS, JSON, "{\"outcome\": \"APPROVE\"}")
                .statusCode()).isEqualTo(404);
        assertThat(api.reviews.history()).isEmpty();
    }

    @Test
    void shouldAnswer422WhenOutcomeIsReview() {
        api.seedCollection(TRANSACTION, MerchantApiHarness.MERCHANT, 150_000L, Outcome.REVIEW);

        assertThat(api.call("POST", PATH, REVIEWS, JSON, "{\"outcome\": \"REVIEW\"}").statusCode()).isEqualTo(422);
        assertThat(api.reviews.history()).isEmpty();
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayTheFirstResolutionWithoutSecondEvent() {
        // Given a transaction risk-streams sent to review
        api.seedCollection(TRANSACTION, MerchantApiHarness.MERCHANT, 150_000L, Outcome.REVIEW);

        // When its resolution is posted without a key, then with one, then retried with the same key
        HttpResponse<String> first = api.assertIdempotent(api.reviews, "POST", PATH, REVIEWS, JSON,
                "{\"outcome\": \"APPROVE\"}");

        // Then the retry got the first answer, not 409 not-in-review, and one resolution was written
        assertThat(first.statusCode()).isEqualTo(202);
    }
}
