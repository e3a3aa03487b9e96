package dev.ngao.ingest.review;

import dev.ngao.events.ReviewResolution;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentState;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.http.Problems;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The review queue: an analyst (a key with {@code reviews:resolve}) approves or declines a transaction that
 * risk-streams sent to review. The resolution goes to {@code risk.reviews}; only a transaction IN_REVIEW in
 * the status view can be resolved, so a second resolution, or one of a transaction never in review, is 409.
 */
public final class ReviewRoutes implements RouteGroup {

    public static final String REVIEWS_PATH = "/v1/reviews";
    private static final String TRANSACTION_ID = "transactionId";

    private static final Logger LOG = LoggerFactory.getLogger(ReviewRoutes.class);

    private final ReviewResolutionValidator validator = new ReviewResolutionValidator();
    private final AcknowledgedPublisher<String, ReviewResolution> publisher;
    private final PaymentStatusView statusView;
    private final Clock clock;
    private final int bodyLimitBytes;

    public ReviewRoutes(AcknowledgedPublisher<String, ReviewResolution> publisher, PaymentStatusView statusView, Clock clock,
                        int bodyLimitBytes) {
        this.publisher = publisher;
        this.statusView = statusView;
        this.clock = clock;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, REVIEWS_PATH + "/:" + TRANSACTION_ID + "/resolution",
                Scopes.REVIEWS_RESOLVE, bodyLimitBytes, this::resolve);
    }

    private void resolve(RoutingContext context) {
        Caller caller = Caller.of(context);
        Optional<PaymentStatus> status = statusView.find(context.pathParam(TRANSACTION_ID))
                .filter(found -> found.merchantId().equals(caller.merchantId()));
        if (status.isEmpty()) {
            JsonRoutes.notFound(context, "No transaction with this id.");
            return;
        }
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<ReviewResolutionRequest> result = validator.validate(body.get());
        if (result instanceof Validation.Invalid<ReviewResolutionRequest> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        if (status.get().state() != PaymentState.IN_REVIEW) {
            // A CHALLENGE_REQUIRED payment is completed by its challenge's result, not by an analyst.
            Problems.send(context, 409, "not-in-review", "Not In Review",
                    "The transaction is " + status.get().state() + "; only a transaction IN_REVIEW can be resolved.");
            return;
        }
        publish(context, event(status.get(), ((Validation.Valid<ReviewResolutionRequest>) result).value(),
                caller.keyId()));
    }

    private void publish(RoutingContext context, ReviewResolution event) {
        publisher.publish(event.getTransactionId(), event).acknowledged().onComplete(written -> {
            if (written.failed()) {
                LOG.warn("Resolution {} of {} not accepted: Kafka did not acknowledge ({})", event.getResolutionId(),
                        event.getTransactionId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The resolution was not accepted; retry later.");
                return;
            }
            statusView.recordResolution(event);
            LOG.info("Accepted resolution {} of {}: {} by key {}", event.getResolutionId(), event.getTransactionId(),
                    event.getOutcome(), event.getAnalystKeyId());
            String self = PaymentRoutes.PAYMENTS_PATH + "/" + event.getTransactionId();
            JsonRoutes.replyWithLocation(context, 202, self, new JsonObject()
                    .put("resolutionId", event.getResolutionId())
                    .put(TRANSACTION_ID, event.getTransactionId())
                    .put("outcome", event.getOutcome().name())
                    .put("resolvedAt", event.getResolvedAt().toString())
                    .put("links", new JsonObject().put("self", self)));
        });
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
