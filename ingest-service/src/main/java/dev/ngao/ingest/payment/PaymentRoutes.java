package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.audit.AuditTrail;
import dev.ngao.ingest.audit.PiiKind;
import dev.ngao.ingest.auth.Caller;
import dev.ngao.ingest.auth.Scopes;
import dev.ngao.ingest.http.Answer;
import dev.ngao.ingest.http.AnswerRecorder;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.kafka.AcknowledgedPublisher.Publication;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusJson;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/** Payments: create one, read its status. The route table, then one handler method per route. */
public final class PaymentRoutes implements RouteGroup {

    public static final String PAYMENTS_PATH = "/v1/payments";
    /** Seconds a caller should wait before retrying when Kafka did not acknowledge. */
    public static final String RETRY_AFTER_SECONDS = "5";
    private static final String TRANSACTION_ID = "transactionId";

    private static final Logger LOG = LoggerFactory.getLogger(PaymentRoutes.class);

    private final PaymentRequestValidator validator = new PaymentRequestValidator();
    private final PaymentRequestEvents events;
    private final PaymentRequestPublisher publisher;
    private final PaymentStatusView statusView;
    private final int bodyLimitBytes;

    public PaymentRoutes(PaymentRequestEvents events, PaymentRequestPublisher publisher, PaymentStatusView statusView,
                         int bodyLimitBytes) {
        this.events = events;
        this.publisher = publisher;
        this.statusView = statusView;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        // Content type before body: a wrong media type is refused before anything is buffered. Vert.x wants
        // a body handler ahead of user handlers on a route, hence two routes for one path.
        router.post(PAYMENTS_PATH).handler(Scopes.require(Scopes.PAYMENTS_WRITE)).handler(HttpReplies::requireJson);
        router.post(PAYMENTS_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(Idempotency.required())
                .handler(this::createPayment);
        router.get(PAYMENTS_PATH + "/:" + TRANSACTION_ID).handler(Scopes.require(Scopes.PAYMENTS_READ))
                .handler(this::getPayment);
    }

    private void createPayment(RoutingContext context) {
        Optional<Map<String, Object>> body = HttpReplies.jsonObjectBody(context);
        if (body.isEmpty()) {
            HttpReplies.malformedJson(context);
            return;
        }
        if (body.get().get(PaymentRequestValidator.MSISDN) instanceof String msisdn) {
            AuditTrail.pii(context, PaymentRequestValidator.MSISDN, PiiKind.MSISDN, msisdn);
        }
        PaymentRequestValidator.Result result = validator.validate(body.get());
        if (result instanceof PaymentRequestValidator.Invalid invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        accept(context, ((PaymentRequestValidator.Valid) result).request());
    }

    /** Answers 202 only once Kafka acknowledged the event; until then nothing is claimed. */
    private void accept(RoutingContext context, ValidPaymentRequest request) {
        Caller caller = Caller.of(context);
        String transactionId = PaymentRequestEvents.newTransactionId();
        AuditTrail.transactionId(context, transactionId);
        PaymentRequest event = events.create(transactionId, request, caller.merchantId(), caller.keyId());
        Publication publication = publisher.publishTracked(event);
        publication.acknowledged().onComplete(written -> {
            if (written.succeeded()) {
                accepted(context, event, written.result());
            } else {
                notAccepted(context, event, publication);
            }
        });
    }

    private void accepted(RoutingContext context, PaymentRequest event, RecordMetadata position) {
        // Recorded here too so a GET right after the 202 finds it before the status feed reads it back.
        statusView.recordRequest(event);
        LOG.info("Accepted payment {} of merchant {} at {}-{}@{}", event.getTransactionId(), event.getMerchantId(),
                position.topic(), position.partition(), position.offset());
        if (context.response().closed()) {
            // Still answered through the recorder: the caller's retry must find this answer.
            LOG.warn("Caller of payment {} left before the answer", event.getTransactionId());
        }
        HttpReplies.reply(context, acceptedAnswer(event));
    }

    /** 202 with the transaction id and a link to its status: the answer, and the one an idempotent retry gets. */
    private static Answer acceptedAnswer(PaymentRequest event) {
        String self = PAYMENTS_PATH + "/" + event.getTransactionId();
        return Answer.json(202, Map.of("Location", self), new JsonObject()
                .put(TRANSACTION_ID, event.getTransactionId())
                .put("status", "PENDING")
                .put("links", new JsonObject().put("self", self)));
    }

    private void notAccepted(RoutingContext context, PaymentRequest event, Publication publication) {
        Throwable cause = publication.acknowledged().cause();
        LOG.warn("Payment {} of merchant {} not accepted: Kafka did not acknowledge ({})",
                event.getTransactionId(), event.getMerchantId(), cause.toString());
        if (publication.undecided()) {
            // The write may still land: the idempotency key stays claimed until Kafka decides, and if the
            // event landed, a retry gets the 202 this caller never saw instead of a second payment.
            AnswerRecorder.of(context).ifPresent(recorder -> recorder.recordLater(publication.settled()
                    .map(position -> {
                        statusView.recordRequest(event);
                        return acceptedAnswer(event);
                    })));
        }
        if (context.response().closed()) {
            return;
        }
        context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        Problems.send(context, 503, "unavailable", "Service Unavailable", "The payment was not accepted; retry later.");
    }

    private void getPayment(RoutingContext context) {
        Caller caller = Caller.of(context);
        String transactionId = context.pathParam(TRANSACTION_ID);
        // Another merchant's transaction is answered exactly like an unknown one, so ids cannot be probed.
        Optional<PaymentStatus> status = statusView.find(transactionId)
                .filter(found -> found.merchantId().equals(caller.merchantId()));
        if (status.isEmpty()) {
            Problems.send(context, 404, "not-found", "Not Found", "No payment with this id.");
            return;
        }
        AuditTrail.transactionId(context, transactionId);
        HttpReplies.replyJson(context, 200, statusJson(status.get()));
    }

    /** The status answer of any transaction type; see {@link PaymentStatusJson}. */
    public static JsonObject statusJson(PaymentStatus status) {
        return PaymentStatusJson.of(status, PAYMENTS_PATH + "/" + status.transactionId());
    }
}
