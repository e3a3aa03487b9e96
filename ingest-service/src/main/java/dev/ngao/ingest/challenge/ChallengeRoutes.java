package dev.ngao.ingest.challenge;

import dev.ngao.events.ResolutionSource;
import dev.ngao.events.ReviewResolution;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.review.ResolutionRequests;
import dev.ngao.ingest.review.ResolutionWriter;
import dev.ngao.ingest.status.PaymentState;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusJson;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The step-up outcome's completion: a merchant (a key with {@code payments:write}) posts the result of the
 * payer's verification of a payment risk-streams challenged. The result goes to {@code risk.reviews} as a
 * {@link ReviewResolution} of source CHALLENGE, which risk-streams turns into the payment's final decision.
 * Only a payment CHALLENGE_REQUIRED in the status view, whose challenge has not expired, takes a result:
 * otherwise 409 ({@value #NOT_CHALLENGED}, {@value #CHALLENGE_COMPLETED} or {@value #CHALLENGE_EXPIRED}).
 */
public final class ChallengeRoutes implements RouteGroup {

    static final String NOT_CHALLENGED = "not-challenged";
    static final String CHALLENGE_COMPLETED = "challenge-completed";
    static final String CHALLENGE_EXPIRED = "challenge-expired";

    private final ResolutionRequests<ChallengeVerification> requests;
    private final ResolutionWriter writer;
    private final Clock clock;

    public ChallengeRoutes(AcknowledgedPublisher<String, ReviewResolution> publisher, PaymentStatusView statusView,
                           Clock clock, int bodyLimitBytes) {
        this.requests = new ResolutionRequests<>(statusView, new ChallengeResultValidator()::validate, bodyLimitBytes);
        this.writer = new ResolutionWriter(publisher, statusView);
        this.clock = clock;
    }

    @Override
    public void mount(Router router) {
        requests.mount(router, PaymentRoutes.PAYMENTS_PATH, PaymentStatusJson.CHALLENGE_SUFFIX, Scopes.PAYMENTS_WRITE,
                this::complete);
    }

    private void complete(RoutingContext context, ResolutionRequests.Accepted<ChallengeVerification> request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (refused(context, request.transaction(), now)) {
            return;
        }
        ChallengeVerification verification = request.body();
        ReviewResolution event = event(request.transaction(), verification, request.apiKeyId(), now);
        writer.write(context, event, new JsonObject()
                .put("challengeResultId", event.getResolutionId())
                .put(ResolutionRequests.TRANSACTION_ID, event.getTransactionId())
                .put("result", verification.name())
                .put("outcome", event.getOutcome().name())
                .put("postedAt", event.getResolvedAt().toString()));
    }

    /** Answers 409 and returns true when the payment takes no challenge result now. */
    private static boolean refused(RoutingContext context, PaymentStatus status, Instant now) {
        PaymentStatus.Challenge challenge = status.decision() == null ? null : status.decision().challenge();
        if (challenge == null) {
            Problems.send(context, 409, NOT_CHALLENGED, "Not Challenged", "The transaction is " + status.state()
                    + "; only a transaction CHALLENGE_REQUIRED takes a challenge result.");
            return true;
        }
        if (status.state() != PaymentState.CHALLENGE_REQUIRED) {
            Problems.send(context, 409, CHALLENGE_COMPLETED, "Challenge Completed",
                    "The challenge is over (the transaction is " + status.state() + "); a result is taken once.");
            return true;
        }
        if (!now.isBefore(challenge.expiresAt())) {
            Problems.send(context, 409, CHALLENGE_EXPIRED, "Challenge Expired", "The challenge expired at "
                    + challenge.expiresAt() + "; the transaction is declined.");
            return true;
        }
        return false;
    }

    private static ReviewResolution event(PaymentStatus status, ChallengeVerification result, String apiKeyId,
                                          Instant now) {
        return ReviewResolution.newBuilder()
                .setResolutionId("chl_" + UUID.randomUUID().toString().replace("-", ""))
                .setTransactionId(status.transactionId())
                .setMerchantId(status.merchantId())
                .setOutcome(result.outcome())
                .setNote(null)
                .setAnalystKeyId(apiKeyId)
                .setResolvedAt(now)
                .setSource(ResolutionSource.CHALLENGE)
                .build();
    }
}
