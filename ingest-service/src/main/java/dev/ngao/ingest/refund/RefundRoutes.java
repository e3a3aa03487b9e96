package dev.ngao.ingest.refund;

import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.http.Problems;
import dev.ngao.platform.money.Amounts;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refunds: a {@code REFUND} payment request against an original transaction of the same merchant, counted on
 * the original's account. The amount is reserved against the original in the status view before the write,
 * so two concurrent refunds on one instance cannot both take the same remainder; a refund Kafka did not
 * acknowledge is released again.
 */
public final class RefundRoutes implements RouteGroup {

    public static final String REFUNDS_PATH = "/v1/refunds";

    private static final Logger LOG = LoggerFactory.getLogger(RefundRoutes.class);

    private final RefundRequestValidator validator = new RefundRequestValidator();
    private final PaymentRequestPublisher publisher;
    private final PaymentStatusView statusView;
    private final Clock clock;
    private final int bodyLimitBytes;

    public RefundRoutes(PaymentRequestPublisher publisher, PaymentStatusView statusView, Clock clock,
                        int bodyLimitBytes) {
        this.publisher = publisher;
        this.statusView = statusView;
        this.clock = clock;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, REFUNDS_PATH, Scopes.REFUNDS_WRITE, bodyLimitBytes, this::refund);
    }

    private void refund(RoutingContext context) {
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<RefundRequest> result = validator.validate(body.get());
        if (result instanceof Validation.Invalid<RefundRequest> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        RefundRequest refund = ((Validation.Valid<RefundRequest>) result).value();
        Caller caller = Caller.of(context);
        // Another merchant's transaction is answered exactly like an unknown one, so ids cannot be probed.
        Optional<PaymentStatus> original = statusView.find(refund.originalTransactionId())
                .filter(found -> found.merchantId().equals(caller.merchantId()));
        if (original.isEmpty()) {
            JsonRoutes.notFound(context, "No transaction with this originalTransactionId.");
            return;
        }
        Optional<RefundRules.Refusal> refusal = RefundRules.check(original.get(), refund,
                statusView.refundedMinor(refund.originalTransactionId()));
        if (refusal.isPresent()) {
            refuse(context, refusal.get());
            return;
        }
        PaymentRequest event = event(PaymentRequestEvents.newTransactionId(), original.get(), refund, caller.keyId());
        if (!statusView.reserveRefund(refund.originalTransactionId(), event.getTransactionId(), refund.amountMinor(),
                original.get().amountMinor())) {
            // Another refund took the remainder between the check and the reservation.
            refuse(context, RefundRules.exceeds(original.get(),
                    original.get().amountMinor() - statusView.refundedMinor(refund.originalTransactionId())));
            return;
        }
        publish(context, event);
    }

    private void publish(RoutingContext context, PaymentRequest event) {
        publisher.publish(event).onComplete(written -> {
            if (written.failed()) {
                statusView.releaseRefund(event.getOriginalTransactionId(), event.getTransactionId());
                LOG.warn("Refund {} of {} not accepted: Kafka did not acknowledge ({})", event.getTransactionId(),
                        event.getOriginalTransactionId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The refund was not accepted; retry later.");
                return;
            }
            statusView.recordRequest(event);
            LOG.debug("Accepted refund {} of {} for merchant {}", event.getTransactionId(),
                    event.getOriginalTransactionId(), event.getMerchantId());
            String self = PaymentRoutes.PAYMENTS_PATH + "/" + event.getTransactionId();
            JsonRoutes.replyWithLocation(context, 202, self, new JsonObject()
                    .put("transactionId", event.getTransactionId())
                    .put("originalTransactionId", event.getOriginalTransactionId())
                    .put("status", "PENDING")
                    .put("amount", Amounts.toDecimalText(event.getAmount().getAmountMinor(),
                            event.getAmount().getCurrency()))
                    .put("currency", event.getAmount().getCurrency())
                    .put("links", new JsonObject().put("self", self)));
        });
    }

    /** Counted on the original's account, carried by the original's provider. */
    private PaymentRequest event(String transactionId, PaymentStatus original, RefundRequest refund, String apiKeyId) {
        String merchantReference = refund.merchantReference() != null ? refund.merchantReference()
                : original.merchantReference() != null ? original.merchantReference() : original.transactionId();
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.REFUND)
                .setMerchantId(original.merchantId())
                .setMerchantReference(merchantReference)
                .setAccountKind(original.account().kind())
                .setAccountId(original.account().id())
                .setAmount(new Money(refund.amountMinor(), refund.currency()))
                .setProvider(original.account().provider())
                .setOriginalTransactionId(original.transactionId())
                .setRefundReason(refund.reason().name())
                .setApiKeyId(apiKeyId)
                .setRequestedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private static void refuse(RoutingContext context, RefundRules.Refusal refusal) {
        FieldError error = new FieldError(refusal.field(), refusal.message());
        if (refusal.status() == 422 && "validation-failed".equals(refusal.type())) {
            HttpReplies.validationProblem(context, List.of(error));
        } else if (refusal.status() == 422) {
            JsonRoutes.unprocessable(context, refusal.type(), "Refund Refused", error);
        } else {
            Problems.send(context, refusal.status(), refusal.type(), "Refund Refused", refusal.message());
        }
    }
}
