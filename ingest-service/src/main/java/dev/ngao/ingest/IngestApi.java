package dev.ngao.ingest;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.auth.ApiKey;
import dev.ngao.ingest.auth.ApiKeyAuthenticator;
import dev.ngao.ingest.payment.FieldError;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRequestValidator;
import dev.ngao.ingest.payment.ValidPaymentRequest;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.http.Problems;
import dev.ngao.platform.money.Amounts;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API: the route table, then one handler method per route. Authentication is its own handler
 * in front of every {@code /v1} route, so signed requests, idempotency keys and rate limits can slot in
 * as further handlers without touching the payment handlers.
 */
public final class IngestApi {

    public static final String PAYMENTS_PATH = "/v1/payments";
    public static final String HEALTH_PATH = "/health";
    static final String JSON = "application/json";
    /** Seconds a caller should wait before retrying when Kafka did not acknowledge. */
    static final String RETRY_AFTER_SECONDS = "5";
    private static final String TRANSACTION_ID = "transactionId";

    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

    private final Vertx vertx;
    private final ApiKeyAuthenticator authenticator;
    private final PaymentRequestValidator validator;
    private final PaymentRequestEvents events;
    private final PaymentRequestPublisher publisher;
    private final PaymentStatusView statusView;
    private final int bodyLimitBytes;

    public IngestApi(Vertx vertx, ApiKeyAuthenticator authenticator, PaymentRequestEvents events,
                     PaymentRequestPublisher publisher, PaymentStatusView statusView, int bodyLimitBytes) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.validator = new PaymentRequestValidator();
        this.events = events;
        this.publisher = publisher;
        this.statusView = statusView;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.get(HEALTH_PATH).handler(this::health);
        router.route("/v1/*").handler(authenticator);
        // Content type before body: a wrong media type is refused before anything is buffered. Vert.x wants
        // a body handler ahead of user handlers on a route, hence two routes for one path.
        router.post(PAYMENTS_PATH).handler(this::requireJson);
        router.post(PAYMENTS_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(this::createPayment);
        router.get(PAYMENTS_PATH + "/:" + TRANSACTION_ID).handler(this::getPayment);
        router.route().handler(this::notFound);
        router.route().failureHandler(this::failure);
        return router;
    }

    private void health(RoutingContext context) {
        replyJson(context, 200, new JsonObject().put("status", "UP"));
    }

    private void requireJson(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON.equals(mediaType)) {
            Problems.send(context, 415, "unsupported-media-type", "Unsupported Media Type",
                    "Send the body as " + JSON + ".");
            return;
        }
        context.next();
    }

    private void createPayment(RoutingContext context) {
        Optional<Map<String, Object>> body = jsonObjectBody(context);
        if (body.isEmpty()) {
            Problems.send(context, 400, "malformed-json", "Malformed JSON", "The body must be one JSON object.");
            return;
        }
        PaymentRequestValidator.Result result = validator.validate(body.get());
        if (result instanceof PaymentRequestValidator.Invalid invalid) {
            sendValidationProblem(context, invalid.errors());
            return;
        }
        accept(context, ((PaymentRequestValidator.Valid) result).request());
    }

    /** Answers 202 only once Kafka acknowledged the event; until then nothing is claimed. */
    private void accept(RoutingContext context, ValidPaymentRequest request) {
        ApiKey key = ApiKeyAuthenticator.authenticatedKey(context);
        String transactionId = PaymentRequestEvents.newTransactionId();
        PaymentRequest event = events.create(transactionId, request, key.merchantId(), key.keyId());
        publisher.publish(event).onComplete(written -> {
            if (written.succeeded()) {
                accepted(context, event, written.result());
            } else {
                notAccepted(context, event, written.cause());
            }
        });
    }

    private void accepted(RoutingContext context, PaymentRequest event, RecordMetadata position) {
        // Recorded here too so a GET right after the 202 finds it before the status feed reads it back.
        statusView.recordRequest(event);
        LOG.info("Accepted payment {} of merchant {} at {}-{}@{}", event.getTransactionId(), event.getMerchantId(),
                position.topic(), position.partition(), position.offset());
        if (context.response().closed()) {
            LOG.warn("Caller of payment {} left before the answer", event.getTransactionId());
            return;
        }
        String self = PAYMENTS_PATH + "/" + event.getTransactionId();
        context.response().putHeader("Location", self);
        replyJson(context, 202, new JsonObject()
                .put(TRANSACTION_ID, event.getTransactionId())
                .put("status", "PENDING")
                .put("links", new JsonObject().put("self", self)));
    }

    private void notAccepted(RoutingContext context, PaymentRequest event, Throwable cause) {
        LOG.warn("Payment {} of merchant {} not accepted: Kafka did not acknowledge ({})",
                event.getTransactionId(), event.getMerchantId(), cause.toString());
        if (context.response().closed()) {
            return;
        }
        context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        Problems.send(context, 503, "unavailable", "Service Unavailable", "The payment was not accepted; retry later.");
    }

    private void getPayment(RoutingContext context) {
        ApiKey key = ApiKeyAuthenticator.authenticatedKey(context);
        String transactionId = context.pathParam(TRANSACTION_ID);
        // Another merchant's transaction is answered exactly like an unknown one, so ids cannot be probed.
        Optional<PaymentStatus> status = statusView.find(transactionId)
                .filter(found -> found.merchantId().equals(key.merchantId()));
        if (status.isEmpty()) {
            Problems.send(context, 404, "not-found", "Not Found", "No payment with this id.");
            return;
        }
        replyJson(context, 200, statusJson(status.get()));
    }

    private void notFound(RoutingContext context) {
        Problems.send(context, 404, "not-found", "Not Found", "No such resource.");
    }

    private void failure(RoutingContext context) {
        int status = context.statusCode();
        if (status == 413) {
            Problems.send(context, 413, "payload-too-large", "Payload Too Large",
                    "The body must not exceed " + bodyLimitBytes + " bytes.");
        } else if (status >= 400 && status < 500 && context.failure() == null) {
            Problems.send(context, status, "request-refused", "Request Refused", null);
        } else {
            LOG.error("Request {} {} failed", context.request().method(), context.request().path(), context.failure());
            Problems.send(context, 500, "internal-error", "Internal Server Error", null);
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> jsonObjectBody(RoutingContext context) {
        if (context.body().isEmpty()) {
            return Optional.empty();
        }
        try {
            Object parsed = Json.decodeValue(context.body().buffer());
            if (parsed instanceof JsonObject object) {
                return Optional.of(object.getMap());
            }
            if (parsed instanceof Map<?, ?> map) {
                return Optional.of((Map<String, Object>) map);
            }
            return Optional.empty();
        } catch (DecodeException e) {
            return Optional.empty();
        }
    }

    private static void sendValidationProblem(RoutingContext context, List<FieldError> errors) {
        JsonArray details = new JsonArray();
        errors.forEach(error -> details.add(new JsonObject().put("field", error.field()).put("message", error.message())));
        JsonObject problem = Problems.body(422, "validation-failed", "Validation Failed",
                        "One or more fields are invalid; see errors.")
                .put("errors", details);
        context.response()
                .setStatusCode(422)
                .putHeader("Content-Type", Problems.CONTENT_TYPE)
                .end(problem.encode());
    }

    /** The status answer: the amount back as decimal text, no MSISDN at all. */
    static JsonObject statusJson(PaymentStatus status) {
        JsonObject json = new JsonObject()
                .put(TRANSACTION_ID, status.transactionId())
                .put("merchantReference", status.merchantReference())
                .put("type", status.type().name())
                .put("amount", Amounts.toDecimalText(status.amountMinor(), status.currency()))
                .put("currency", status.currency())
                .put("status", status.state().name())
                .put("requestedAt", status.requestedAt().toString());
        if (status.decision() != null) {
            JsonArray reasons = new JsonArray();
            status.decision().reasons().forEach(reason -> reasons.add(new JsonObject()
                    .put("ruleId", reason.ruleId())
                    .put("ruleSetVersion", reason.ruleSetVersion())
                    .put("outcome", reason.outcome().name())
                    .put("message", reason.message())));
            json.put("decision", new JsonObject()
                    .put("outcome", status.decision().outcome().name())
                    .put("reasons", reasons)
                    .put("decidedAt", status.decision().decidedAt().toString()));
        }
        return json.put("links", new JsonObject().put("self", PAYMENTS_PATH + "/" + status.transactionId()));
    }

    private static void replyJson(RoutingContext context, int status, JsonObject body) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
