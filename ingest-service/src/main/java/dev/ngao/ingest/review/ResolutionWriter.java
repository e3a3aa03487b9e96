package dev.ngao.ingest.review;

import dev.ngao.events.ResolutionSource;
import dev.ngao.events.ReviewResolution;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatusView;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an analyst's resolution and a challenge's result end, once {@link ResolutionRequests} let them through and
 * their route accepted the transaction's state: the record goes to {@code risk.reviews}, answered {@code 202} with
 * a link to the transaction's status once Kafka acknowledged it (and recorded in the status view at once), or
 * {@code 503} when it did not.
 */
public final class ResolutionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ResolutionWriter.class);

    private final AcknowledgedPublisher<String, ReviewResolution> publisher;
    private final PaymentStatusView statusView;

    public ResolutionWriter(AcknowledgedPublisher<String, ReviewResolution> publisher, PaymentStatusView statusView) {
        this.publisher = publisher;
        this.statusView = statusView;
    }

    /** Writes {@code event} and answers {@code answer} (its self link added) once Kafka acknowledged it. */
    public void write(RoutingContext context, ReviewResolution event, JsonObject answer) {
        String what = event.getSource() == ResolutionSource.CHALLENGE ? "challenge result" : "resolution";
        publisher.publish(event.getTransactionId(), event).acknowledged().onComplete(written -> {
            if (written.failed()) {
                LOG.warn("The {} {} of {} was not accepted: Kafka did not acknowledge ({})", what,
                        event.getResolutionId(), event.getTransactionId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The " + what + " was not accepted; retry later.");
                return;
            }
            statusView.recordResolution(event);
            LOG.info("Accepted {} {} of {}: {} by key {}", what, event.getResolutionId(),
                    event.getTransactionId(), event.getOutcome(), event.getAnalystKeyId());
            String self = PaymentRoutes.PAYMENTS_PATH + "/" + event.getTransactionId();
            JsonRoutes.replyWithLocation(context, 202, self, answer.put("links", new JsonObject().put("self", self)));
        });
    }
}
