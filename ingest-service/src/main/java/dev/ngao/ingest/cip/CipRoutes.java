package dev.ngao.ingest.cip;

import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.money.Amounts;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** PagoEfectivo-style cash payments: create a CIP, a code the payer pays at an agent or bank before it expires. */
public final class CipRoutes implements RouteGroup {

    public static final String CIP_PAYMENTS_PATH = "/v1/cip-payments";

    private static final Logger LOG = LoggerFactory.getLogger(CipRoutes.class);

    private final CipRequestValidator validator;
    private final CipEvents events;
    private final CipCodes codes;
    private final PaymentRequestPublisher publisher;
    private final PaymentStatusView statusView;
    private final int bodyLimitBytes;

    public CipRoutes(CipRequestValidator validator, CipEvents events, CipCodes codes, PaymentRequestPublisher publisher,
                     PaymentStatusView statusView, int bodyLimitBytes) {
        this.validator = validator;
        this.events = events;
        this.codes = codes;
        this.publisher = publisher;
        this.statusView = statusView;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, CIP_PAYMENTS_PATH, Scopes.PAYMENTS_WRITE, bodyLimitBytes,
                this::createCip);
    }

    private void createCip(RoutingContext context) {
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<ValidCipRequest> result = validator.validate(body.get());
        if (result instanceof Validation.Invalid<ValidCipRequest> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        Caller caller = Caller.of(context);
        PaymentRequest event = events.create(PaymentRequestEvents.newTransactionId(), codes.next(),
                ((Validation.Valid<ValidCipRequest>) result).value(), caller.merchantId(), caller.keyId());
        publisher.publish(event).onComplete(written -> {
            if (written.succeeded()) {
                created(context, event, written.result());
            } else {
                LOG.warn("CIP {} of merchant {} not accepted: Kafka did not acknowledge ({})",
                        event.getTransactionId(), event.getMerchantId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The CIP was not created; retry later.");
            }
        });
    }

    /** 201 only once Kafka acknowledged the event: the code exists from then on. */
    private void created(RoutingContext context, PaymentRequest event, RecordMetadata position) {
        statusView.recordRequest(event);
        LOG.debug("Created CIP {} of merchant {} at {}-{}@{}", event.getTransactionId(), event.getMerchantId(),
                position.topic(), position.partition(), position.offset());
        String self = PaymentRoutes.PAYMENTS_PATH + "/" + event.getTransactionId();
        JsonRoutes.replyWithLocation(context, 201, self, new JsonObject()
                .put("transactionId", event.getTransactionId())
                .put("status", "PENDING")
                .put("amount", Amounts.toDecimalText(event.getAmount().getAmountMinor(), event.getAmount().getCurrency()))
                .put("currency", event.getAmount().getCurrency())
                .put("cip", cipJson(event.getCip().getPaymentCode(), event.getCip().getExpiresAt()))
                .put("links", new JsonObject().put("self", self)));
    }

    /** The code and its expiry, in UTC and as the payer's Lima clock shows it. */
    public static JsonObject cipJson(String paymentCode, Instant expiresAt) {
        return new JsonObject()
                .put("code", paymentCode)
                .put("expiresAt", expiresAt.toString())
                .put("expiresAtLocal", CipTime.localText(expiresAt))
                .put("timeZone", CipTime.ZONE.getId());
    }
}
