package dev.ngao.ingest.card;

import dev.ngao.events.ApprovalKind;
import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.CardEvent;
import dev.ngao.ingest.approval.ApprovalDesk;
import dev.ngao.ingest.approval.ApprovalRoutes;
import dev.ngao.ingest.audit.AuditTrail;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Bulk card issuance under maker-checker: {@code POST /v1/cards/batches} with {@code {"cards": [...]}} (each
 * item what {@code POST /v1/cards} takes) issues nothing at once. Every card is validated, given its card id,
 * and the batch waits on {@code ingest.approvals} for another key with {@code approvals:approve}; once approved,
 * exactly the batch's ISSUED events (ids fixed at request time) are written to {@code cards.events}.
 */
public final class CardBatchRoutes implements RouteGroup {

    public static final String BATCHES_PATH = CardRoutes.CARDS_PATH + "/batches";
    public static final String CARDS = "cards";
    /** A batch's approval id: this, then 32 hex digits of a random UUID. */
    public static final String APPROVAL_ID_PREFIX = "apv_batch_";

    private static final Logger LOG = LoggerFactory.getLogger(CardBatchRoutes.class);

    private final CardRequestValidator validator = new CardRequestValidator();
    private final CardEvents events;
    private final CardDirectory directory;
    private final AcknowledgedPublisher<String, CardEvent> cardPublisher;
    private final ApprovalDesk desk;
    private final int maxBatchSize;
    private final int bodyLimitBytes;

    public CardBatchRoutes(CardEvents events, CardDirectory directory,
                           AcknowledgedPublisher<String, CardEvent> cardPublisher, ApprovalDesk desk, int maxBatchSize,
                           int bodyLimitBytes) {
        this.events = events;
        this.directory = directory;
        this.cardPublisher = cardPublisher;
        this.desk = desk;
        this.maxBatchSize = maxBatchSize;
        this.bodyLimitBytes = bodyLimitBytes;
        desk.deliverWith(ApprovalKind.CARD_BATCH, this::issue);
    }

    @Override
    public void mount(Router router) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, BATCHES_PATH, Scopes.CARDS_ISSUE, bodyLimitBytes,
                this::requestBatch);
    }

    private void requestBatch(RoutingContext context) {
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<List<CardRequests.Issue>> result = validate(body.get());
        if (result instanceof Validation.Invalid<List<CardRequests.Issue>> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        List<CardRequests.Issue> requests = ((Validation.Valid<List<CardRequests.Issue>>) result).value();
        for (int index = 0; index < requests.size(); index++) {
            if (!requests.get(index).kycComplete()) {
                JsonRoutes.unprocessable(context, "kyc-incomplete", "KYC Incomplete", new FieldError(
                        CARDS + "[" + index + "]." + CardRequestValidator.KYC_STATUS,
                        "a card is issued only to a cardholder whose KYC is VERIFIED"));
                return;
            }
        }
        Caller caller = Caller.of(context);
        if (desk.full(caller.merchantId())) {
            ApprovalRoutes.limitReached(context);
            return;
        }
        List<CardEvent> issued = new ArrayList<>();
        requests.forEach(request -> issued.add(events.issued(CardEvents.newCardId(), request, caller.merchantId(),
                caller.keyId())));
        ApprovalRequest pending = desk.newRequest(APPROVAL_ID_PREFIX + UUID.randomUUID().toString().replace("-", ""),
                ApprovalKind.CARD_BATCH, caller.merchantId(), caller.keyId()).setCards(issued).build();
        AuditTrail.detail(context, "approvalId", pending.getApprovalId());
        Future.fromCompletionStage(desk.submit(pending), context.vertx().getOrCreateContext()).onComplete(written -> {
            if (written.failed()) {
                LOG.warn("Card batch {} of merchant {} not accepted: its approval was not written ({})",
                        pending.getApprovalId(), caller.merchantId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The batch was not accepted; retry later.");
            } else if (written.result() instanceof ApprovalDesk.Submission.Full) {
                ApprovalRoutes.limitReached(context);
            } else {
                JsonArray cardIds = new JsonArray();
                issued.forEach(card -> cardIds.add(card.getCardId()));
                String approval = "/v1/approvals/" + pending.getApprovalId();
                JsonRoutes.replyWithLocation(context, 202, approval, new JsonObject()
                        .put("approvalId", pending.getApprovalId())
                        .put("status", "PENDING_APPROVAL")
                        .put("expiresAt", pending.getExpiresAt().toString())
                        .put("cardIds", cardIds)
                        .put("links", new JsonObject().put("approval", approval)));
            }
        });
    }

    /** 1 to {@code maxBatchSize} cards, each as {@code POST /v1/cards} takes it; fields named {@code cards[i].x}. */
    Validation<List<CardRequests.Issue>> validate(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!CARDS.equals(field)) {
                errors.add(new FieldError(field, "is not a field of a card batch"));
            }
        }
        if (!(body.get(CARDS) instanceof List<?> cards) || cards.isEmpty() || cards.size() > maxBatchSize) {
            errors.add(new FieldError(CARDS, "must be a list of 1 to " + maxBatchSize + " cards to issue"));
            return Validation.of(errors, List::of);
        }
        List<CardRequests.Issue> requests = new ArrayList<>();
        for (int index = 0; index < cards.size(); index++) {
            String prefix = CARDS + "[" + index + "]";
            if (!(cards.get(index) instanceof Map<?, ?> card)) {
                errors.add(new FieldError(prefix, "must be an object"));
                continue;
            }
            @SuppressWarnings("unchecked")
            Validation<CardRequests.Issue> one = validator.validateIssue((Map<String, ?>) card);
            if (one instanceof Validation.Invalid<CardRequests.Issue> invalid) {
                invalid.errors().forEach(error -> errors.add(new FieldError(prefix + "." + error.field(),
                        error.message())));
            } else {
                requests.add(((Validation.Valid<CardRequests.Issue>) one).value());
            }
        }
        return Validation.of(errors, () -> requests);
    }

    /** The approved batch's ISSUED events, each written once to cards.events; completes once all are acknowledged. */
    private CompletableFuture<Void> issue(ApprovalRequest approved) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (CardEvent card : approved.getCards()) {
            writes.add(cardPublisher.publish(card.getCardId(), card).acknowledged()
                    .onSuccess(position -> directory.record(card))
                    .toCompletionStage().toCompletableFuture());
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            if (error == null) {
                LOG.info("Card batch {} of merchant {} issued: {} cards", approved.getApprovalId(),
                        approved.getMerchantId(), approved.getCards().size());
            }
        });
    }
}
