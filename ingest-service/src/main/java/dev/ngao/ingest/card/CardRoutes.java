package dev.ngao.ingest.card;

import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.SpendingControls;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.http.Problems;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Card issuing: issue a virtual card for a KYC-verified cardholder, read it, load funds, freeze and unfreeze
 * it, set its spending controls. Card changes go to {@code cards.events}, loads to {@code payments.requests};
 * each is answered only after Kafka acknowledged it.
 */
public final class CardRoutes implements RouteGroup {

    public static final String CARDS_PATH = "/v1/cards";
    private static final String CARD_ID = "cardId";
    private static final String CARD_PATH = CARDS_PATH + "/:" + CARD_ID;

    private static final Logger LOG = LoggerFactory.getLogger(CardRoutes.class);

    private final CardRequestValidator validator = new CardRequestValidator();
    private final SpendingControlsValidator controlsValidator = new SpendingControlsValidator();
    private final CardEvents events;
    private final CardDirectory directory;
    private final AcknowledgedPublisher<String, CardEvent> cardPublisher;
    private final PaymentRequestPublisher paymentPublisher;
    private final PaymentStatusView statusView;
    private final int bodyLimitBytes;

    public CardRoutes(CardEvents events, CardDirectory directory,
                      AcknowledgedPublisher<String, CardEvent> cardPublisher,
                      PaymentRequestPublisher paymentPublisher, PaymentStatusView statusView, int bodyLimitBytes) {
        this.events = events;
        this.directory = directory;
        this.cardPublisher = cardPublisher;
        this.paymentPublisher = paymentPublisher;
        this.statusView = statusView;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, CARDS_PATH, Scopes.CARDS_ISSUE, bodyLimitBytes, this::issue);
        router.get(CARD_PATH).handler(Scopes.require(Scopes.CARDS_MANAGE)).handler(this::show);
        JsonRoutes.mountCreating(router, HttpMethod.POST, CARD_PATH + "/loads", Scopes.CARDS_MANAGE, bodyLimitBytes,
                this::load);
        mountStateChange(router, CARD_PATH + "/freeze", CardEventType.FROZEN);
        mountStateChange(router, CARD_PATH + "/unfreeze", CardEventType.UNFROZEN);
        JsonRoutes.mount(router, HttpMethod.PUT, CARD_PATH + "/spending-controls", Scopes.CARDS_MANAGE, bodyLimitBytes,
                this::setControls);
    }

    /**
     * Freeze and unfreeze take an optional JSON body, so an empty one needs no content type; scope first, as
     * everywhere. Each writes a card event, so each needs {@code Idempotency-Key} like any creating POST.
     */
    private void mountStateChange(Router router, String path, CardEventType type) {
        router.post(path).handler(Scopes.require(Scopes.CARDS_MANAGE));
        router.post(path)
                .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(Idempotency.required())
                .handler(context -> changeState(context, type));
    }

    private void issue(RoutingContext context) {
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<CardRequests.Issue> result = validator.validateIssue(body.get());
        if (result instanceof Validation.Invalid<CardRequests.Issue> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        CardRequests.Issue request = ((Validation.Valid<CardRequests.Issue>) result).value();
        if (!request.kycComplete()) {
            JsonRoutes.unprocessable(context, "kyc-incomplete", "KYC Incomplete", new FieldError(
                    CardRequestValidator.KYC_STATUS, "a card is issued only to a cardholder whose KYC is VERIFIED"));
            return;
        }
        Caller caller = Caller.of(context);
        CardEvent event = events.issued(CardEvents.newCardId(), request, caller.merchantId(), caller.keyId());
        publishCardEvent(context, event, 201);
    }

    private void show(RoutingContext context) {
        Optional<CardDirectory.Card> card = card(context);
        card.ifPresent(found -> HttpReplies.replyJson(context, 200, CardJson.card(found)));
    }

    private void load(RoutingContext context) {
        Optional<CardDirectory.Card> card = card(context);
        if (card.isEmpty()) {
            return;
        }
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<CardRequests.Load> result = validator.validateLoad(body.get(), card.get().currency());
        if (result instanceof Validation.Invalid<CardRequests.Load> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        PaymentRequest event = events.load(PaymentRequestEvents.newTransactionId(), card.get(),
                ((Validation.Valid<CardRequests.Load>) result).value(), Caller.of(context).keyId());
        paymentPublisher.publish(event).onComplete(written -> {
            if (written.failed()) {
                LOG.warn("Load {} of card {} not accepted: Kafka did not acknowledge ({})", event.getTransactionId(),
                        event.getAccountId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The load was not accepted; retry later.");
                return;
            }
            statusView.recordRequest(event);
            LOG.debug("Accepted load {} of card {}", event.getTransactionId(), event.getAccountId());
            String self = PaymentRoutes.PAYMENTS_PATH + "/" + event.getTransactionId();
            JsonRoutes.replyWithLocation(context, 202, self, new JsonObject()
                    .put("transactionId", event.getTransactionId())
                    .put(CARD_ID, event.getAccountId())
                    .put("status", "PENDING")
                    .put("links", new JsonObject().put("self", self)));
        });
    }

    private void changeState(RoutingContext context, CardEventType type) {
        Optional<CardDirectory.Card> card = card(context);
        if (card.isEmpty()) {
            return;
        }
        Optional<Map<String, Object>> body = optionalJsonBody(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<CardRequests.StateChange> result = validator.validateStateChange(body.get());
        if (result instanceof Validation.Invalid<CardRequests.StateChange> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        String reason = ((Validation.Valid<CardRequests.StateChange>) result).value().reason();
        publishCardEvent(context, events.changed(type, card.get(), null, reason,
                Caller.of(context).keyId()), 202);
    }

    private void setControls(RoutingContext context) {
        Optional<CardDirectory.Card> card = card(context);
        if (card.isEmpty()) {
            return;
        }
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<SpendingControls> result = controlsValidator.validate(body.get());
        if (result instanceof Validation.Invalid<SpendingControls> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        publishCardEvent(context, events.changed(CardEventType.CONTROLS_SET, card.get(),
                ((Validation.Valid<SpendingControls>) result).value(), null, Caller.of(context).keyId()), 202);
    }

    /** Writes the card event and answers {@code status} with the card as it now is, once Kafka acknowledged. */
    private void publishCardEvent(RoutingContext context, CardEvent event, int status) {
        cardPublisher.publish(event.getCardId(), event).acknowledged().onComplete(written -> {
            if (written.failed()) {
                LOG.warn("Card event {} {} of card {} not accepted: Kafka did not acknowledge ({})", event.getType(),
                        event.getEventId(), event.getCardId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The card change was not accepted; retry later.");
                return;
            }
            directory.record(event);
            LOG.info("Accepted card event {} {} of card {} of merchant {}", event.getType(), event.getEventId(),
                    event.getCardId(), event.getMerchantId());
            CardDirectory.Card card = directory.find(event.getCardId(), event.getMerchantId())
                    .orElseThrow(() -> new IllegalStateException("card just recorded is missing"));
            JsonObject body = CardJson.card(card);
            if (event.getType() == CardEventType.FROZEN || event.getType() == CardEventType.UNFROZEN) {
                // The directory may still apply an older change read back; the answer states this change.
                body.put("status", event.getType() == CardEventType.FROZEN ? "FROZEN" : "ACTIVE");
            }
            if (event.getType() == CardEventType.CONTROLS_SET) {
                body.put("spendingControls", CardJson.controls(event.getControls()));
            }
            JsonRoutes.replyWithLocation(context, status, CARDS_PATH + "/" + event.getCardId(), body);
        });
    }

    /** The caller's card named in the path; answers 404 and returns empty for an unknown or another merchant's card. */
    private Optional<CardDirectory.Card> card(RoutingContext context) {
        String cardId = context.pathParam(CARD_ID);
        Optional<CardDirectory.Card> card = CardRequestValidator.CARD_ID_FORMAT.matcher(cardId).matches()
                ? directory.find(cardId, Caller.of(context).merchantId())
                : Optional.empty();
        if (card.isEmpty()) {
            JsonRoutes.notFound(context, "No card with this id.");
        }
        return card;
    }

    /** An empty body is an empty object; a body that is there must be JSON. */
    private static Optional<Map<String, Object>> optionalJsonBody(RoutingContext context) {
        if (context.body().isEmpty()) {
            return Optional.of(Map.of());
        }
        String contentType = context.request().getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(HttpReplies.JSON)) {
            Problems.send(context, 415, "unsupported-media-type", "Unsupported Media Type",
                    "Send the body as " + HttpReplies.JSON + ", or no body.");
            return Optional.empty();
        }
        return JsonRoutes.body(context);
    }
}
