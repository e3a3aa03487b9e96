package dev.ngao.ingest.review;

import dev.ngao.events.ReviewResolution;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.status.PaymentState;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The review queue: an analyst (a key with {@code reviews:resolve}) approves or declines a transaction that
 * risk-streams sent to review. The resolution goes to {@code risk.reviews}; only a transaction IN_REVIEW in
 * the status view can be resolved, so a second resolution, or one of a transaction never in review, is 409.
 */
public final class ReviewRoutes implements RouteGroup {

    public static final String REVIEWS_PATH = "/v1/reviews";

    private final ResolutionRequests<ReviewResolutionRequest> requests;
    private final ResolutionWriter writer;
    private final Clock clock;

    public ReviewRoutes(AcknowledgedPublisher<String, ReviewResolution> publisher, PaymentStatusView statusView, Clock clock,
                        int bodyLimitBytes) {
        this.requests = new ResolutionRequests<>(statusView, new ReviewResolutionValidator()::validate, bodyLimitBytes);
        this.writer = new ResolutionWriter(publisher, statusView);
        this.clock = clock;
    }

    @Override
    public void mount(Router router) {
        requests.mount(router, REVIEWS_PATH, "/resolution", Scopes.REVIEWS_RESOLVE, this::resolve);
    }

    private void resolve(RoutingContext context, ResolutionRequests.Accepted<ReviewResolutionRequest> request) {
        PaymentStatus status = request.transaction();
        if (status.state() != PaymentState.IN_REVIEW) {
            // A CHALLENGE_REQUIRED payment is completed by its challenge's result, not by an analyst.
            Problems.send(context, 409, "not-in-review", "Not In Review",
                    "The transaction is " + status.state() + "; only a transaction IN_REVIEW can be resolved.");
            return;
        }
        ReviewResolution event = event(status, request.body(), request.apiKeyId());
        writer.write(context, event, new JsonObject()
                .put("resolutionId", event.getResolutionId())
                .put(ResolutionRequests.TRANSACTION_ID, event.getTransactionId())
                .put("outcome", event.getOutcome().name())
                .put("resolvedAt", event.getResolvedAt().toString()));
    }

    private ReviewResolution event(PaymentStatus status, ReviewResolutionRequest request, String apiKeyId) {
        return ReviewResolution.newBuilder()
                .setResolutionId("rev_" + UUID.randomUUID().toString().replace("-", ""))
                .setTransactionId(status.transactionId())
                .setMerchantId(status.merchantId())
                .setOutcome(request.outcome())
                .setNote(request.note())
                .setAnalystKeyId(apiKeyId)
                .setResolvedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
