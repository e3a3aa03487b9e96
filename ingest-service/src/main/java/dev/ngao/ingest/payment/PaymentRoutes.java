package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.approval.ApprovalRoutes;
import dev.ngao.ingest.audit.AuditTrail;
import dev.ngao.ingest.audit.PiiKind;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.Answer;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.idempotency.ClaimKey;
import dev.ngao.ingest.idempotency.ClaimOutcome;
import dev.ngao.ingest.idempotency.ClaimPayload;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.Fingerprints;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusJson;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Payments: create one, read its status. The route table, then one handler method per route.
 *
 * <p>Creating a payment costs one awaited Kafka write. The transaction id is derived from the merchant and
 * the {@code Idempotency-Key} ({@link TransactionIds}), so the answer is a function of the request. The
 * request is accepted by a claim on {@code ingest.idempotency} that carries the event, sealed
 * ({@link ClaimStore#accept}); the first such claim of a key in log order wins on every instance, and only
 * the winner's event is published, after the answer's write and without delaying it ({@link PaymentRelay},
 * which also publishes it from the sealed copy if the winner dies first). A retry, on any instance, gets the
 * same answer rebuilt from the transaction id; another body under the key gets 422; a refused request writes
 * nothing, so its key stays free.
 *
 * <p>A payout above its merchant's threshold ({@link PayoutGate}) is accepted the same way, but its claim
 * carries no event: the payout waits on {@code ingest.approvals} for a second key's approval, and the answer
 * (202, {@code PENDING_APPROVAL}, with the approval's id) is sent once that approval is written.
 */
public final class PaymentRoutes implements RouteGroup {

    public static final String PAYMENTS_PATH = "/v1/payments";
    /** Seconds a caller should wait before retrying when Kafka did not acknowledge. */
    public static final String RETRY_AFTER_SECONDS = "5";
    private static final String TRANSACTION_ID = "transactionId";
    /** The status of a payout waiting for a second person's approval. */
    public static final String PENDING_APPROVAL = "PENDING_APPROVAL";
    /** Where approvals are read and decided (the approval routes). */
    public static final String APPROVALS_PATH = "/v1/approvals";

    private static final Logger LOG = LoggerFactory.getLogger(PaymentRoutes.class);

    private final PaymentRequestValidator validator = new PaymentRequestValidator();
    private final PaymentRequestEvents events;
    private final TransactionIds transactionIds;
    private final SealedPaymentRequests sealer;
    private final PaymentRelay relay;
    private final PaymentStatusView statusView;
    private final int bodyLimitBytes;
    private final PayoutGate gate;

    /**
     * @param relay publishes each accepted event, and again any still missing after its grace period
     */
    public PaymentRoutes(PaymentRequestEvents events, TransactionIds transactionIds, SealedPaymentRequests sealer,
                         PaymentRelay relay, PaymentStatusView statusView, int bodyLimitBytes) {
        this(events, transactionIds, sealer, relay, statusView, bodyLimitBytes, PayoutGate.NONE);
    }

    /** @param gate which payouts wait for a second person's approval, and where they wait */
    public PaymentRoutes(PaymentRequestEvents events, TransactionIds transactionIds, SealedPaymentRequests sealer,
                         PaymentRelay relay, PaymentStatusView statusView, int bodyLimitBytes, PayoutGate gate) {
        this.gate = gate;
        this.events = events;
        this.transactionIds = transactionIds;
        this.sealer = sealer;
        this.relay = relay;
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
                .handler(this::createPayment);
        router.get(PAYMENTS_PATH + "/:" + TRANSACTION_ID).handler(Scopes.require(Scopes.PAYMENTS_READ))
                .handler(this::getPayment);
    }

    private void createPayment(RoutingContext context) {
        Optional<ClaimKey> key = Idempotency.presentedKey(context);
        if (key.isEmpty()) {
            return;
        }
        ClaimStore claims = Idempotency.of(context).store();
        String fingerprint = Fingerprints.ofRequest(context);
        // A key this instance knows is answered before the body is even parsed: replayed, or refused.
        Optional<ClaimOutcome> known = claims.judge(key.get(), fingerprint);
        Optional<String> heldNotRecorded = known.flatMap(this::heldButNotRecorded);
        if (known.isPresent() && heldNotRecorded.isEmpty()) {
            answer(context, known.get(), null);
            return;
        }
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
        ValidPaymentRequest request = ((PaymentRequestValidator.Valid) result).request();
        if (heldNotRecorded.isPresent()) {
            holdAgain(context, heldNotRecorded.get(), request);
            return;
        }
        accept(context, claims, key.get(), fingerprint, request);
    }

    /**
     * The transaction id of a payout whose claim won as held but whose approval is not on
     * {@code ingest.approvals} (its write failed after the claim): the retry writes it.
     */
    private Optional<String> heldButNotRecorded(ClaimOutcome outcome) {
        if (outcome instanceof ClaimOutcome.Accepted accepted && accepted.sameRequest()
                && PayoutGate.isHeld(accepted.subjectId())) {
            String transactionId = PayoutGate.transactionIdOf(accepted.subjectId());
            return gate.recorded(transactionId) ? Optional.empty() : Optional.of(transactionId);
        }
        return Optional.empty();
    }

    private void holdAgain(RoutingContext context, String transactionId, ValidPaymentRequest request) {
        Caller caller = Caller.of(context);
        AuditTrail.transactionId(context, transactionId);
        PaymentRequest event = events.create(transactionId, request, caller.merchantId(), caller.keyId());
        hold(context, () -> gate.hold(event, caller.keyId()), transactionId);
    }

    /** Answers a held payout once its approval is written: 202 PENDING_APPROVAL, 503 if Kafka did not take it. */
    private void hold(RoutingContext context, Supplier<CompletableFuture<String>> holdOnce, String transactionId) {
        Future.fromCompletionStage(holdOnce.get(), context.vertx().getOrCreateContext()).onComplete(held -> {
            if (held.failed()) {
                LOG.warn("Payout {} held but its approval not written ({}); a retry with its key writes it",
                        transactionId, held.cause().toString());
                unavailable(context);
                return;
            }
            HttpReplies.reply(context, heldAnswer(transactionId, held.result()));
        });
    }

    /**
     * One write: the claim carrying the sealed event. The answer waits for its verdict (bounded); the event
     * is published once the claim won, also when the verdict came too late for the answer.
     */
    private void accept(RoutingContext context, ClaimStore claims, ClaimKey key, String fingerprint,
                        ValidPaymentRequest request) {
        if (relay.saturated()) {
            LOG.error("Too many accepted payments not yet on payments.requests: refusing new ones for now");
            unavailable(context);
            return;
        }
        Caller caller = Caller.of(context);
        String transactionId = transactionIds.of(caller.merchantId(), key.key());
        AuditTrail.transactionId(context, transactionId);
        PaymentRequest event = events.create(transactionId, request, caller.merchantId(), caller.keyId());
        if (gate.holds(event)) {
            acceptHeld(context, claims, key, fingerprint, event);
            return;
        }
        ClaimStore.Acceptance acceptance = claims.accept(key, fingerprint,
                new ClaimPayload(transactionId, sealer.seal(event)));
        Context eventLoop = context.vertx().getOrCreateContext();
        Runnable publish = publishOnce(event);
        acceptance.settled().thenAccept(outcome -> {
            if (outcome instanceof ClaimOutcome.Won) {
                eventLoop.runOnContext(ignored -> publish.run());
            }
        });
        Future.fromCompletionStage(acceptance.decided(), eventLoop).onComplete(decided -> {
            if (decided.failed()) {
                // The claim may still land; if it wins, the event is published and a retry gets the 202.
                LOG.warn("Payment {} of merchant {} not accepted: Kafka did not acknowledge its claim ({})",
                        transactionId, caller.merchantId(), decided.cause().toString());
                unavailable(context);
                return;
            }
            if (decided.result() instanceof ClaimOutcome.Won) {
                publish.run();
            }
            answer(context, decided.result(), event);
        });
    }

    /**
     * A payout that waits for approval: its claim carries no event (nothing relays it), and the approval is
     * written once the claim won, also when the verdict came too late for the answer. Refused while its
     * merchant has as many pending approvals as it may, before anything is written, so the key stays free.
     */
    private void acceptHeld(RoutingContext context, ClaimStore claims, ClaimKey key, String fingerprint,
                            PaymentRequest event) {
        String transactionId = event.getTransactionId();
        if (gate.full(event.getMerchantId())) {
            ApprovalRoutes.limitReached(context);
            return;
        }
        ClaimStore.Acceptance acceptance = claims.accept(key, fingerprint,
                new ClaimPayload(PayoutGate.heldSubject(transactionId), new byte[0]));
        CompletableFuture<String> held = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        Supplier<CompletableFuture<String>> holdOnce = () -> {
            if (started.compareAndSet(false, true)) {
                gate.hold(event, event.getApiKeyId()).whenComplete((approvalId, error) -> {
                    if (error != null) {
                        held.completeExceptionally(error);
                    } else {
                        held.complete(approvalId);
                    }
                });
            }
            return held;
        };
        acceptance.settled().thenAccept(outcome -> {
            if (outcome instanceof ClaimOutcome.Won) {
                holdOnce.get();
            }
        });
        Future.fromCompletionStage(acceptance.decided(), context.vertx().getOrCreateContext()).onComplete(decided -> {
            if (decided.failed()) {
                LOG.warn("Payout {} of merchant {} not accepted: Kafka did not acknowledge its claim ({})",
                        transactionId, event.getMerchantId(), decided.cause().toString());
                unavailable(context);
            } else if (decided.result() instanceof ClaimOutcome.Won) {
                hold(context, holdOnce, transactionId);
            } else {
                answer(context, decided.result(), null);
            }
        });
    }

    /**
     * Hands the accepted event to the relay once: right before the 202 (so the event is on its way when the
     * merchant hears of it), or whenever Kafka decides for a claim whose verdict came too late for the answer.
     */
    private Runnable publishOnce(PaymentRequest event) {
        AtomicBoolean handedOver = new AtomicBoolean();
        return () -> {
            if (handedOver.compareAndSet(false, true)) {
                // Recorded here too so a GET right after the 202 finds it before the status feed reads it back.
                statusView.recordRequest(event);
                relay.publish(event);
            }
        };
    }

    /** The answer to a judged key; {@code event} is this request's, when it wrote a claim. */
    private void answer(RoutingContext context, ClaimOutcome outcome, PaymentRequest event) {
        if (outcome instanceof ClaimOutcome.Won && event != null) {
            HttpReplies.reply(context, acceptedAnswer(event.getTransactionId()));
        } else if (outcome instanceof ClaimOutcome.Accepted accepted) {
            if (accepted.sameRequest() && PayoutGate.isHeld(accepted.subjectId())) {
                String transactionId = PayoutGate.transactionIdOf(accepted.subjectId());
                AuditTrail.transactionId(context, transactionId);
                replay(context, heldAnswer(transactionId, gate.approvalId(transactionId)));
            } else if (accepted.sameRequest()) {
                AuditTrail.transactionId(context, accepted.subjectId());
                replay(context, acceptedAnswer(accepted.subjectId()));
            } else {
                Idempotency.keyReused(context);
            }
        } else if (outcome instanceof ClaimOutcome.Replay replay) {
            // An answer recorded by an instance of the previous design, which completed its claims.
            if (replay.sameRequest()) {
                Idempotency.replay(context, replay.answer());
            } else {
                Idempotency.keyReused(context);
            }
        } else if (outcome instanceof ClaimOutcome.InProgress inProgress) {
            if (inProgress.sameRequest()) {
                Idempotency.inProgress(context);
            } else {
                Idempotency.keyReused(context);
            }
        } else {
            LOG.error("Claim table full: refusing a new payment key");
            Idempotency.unavailable(context);
        }
    }

    /**
     * 202 with the transaction id and a link to its status: the first answer, and, rebuilt from the id alone,
     * the one every retry gets, byte for byte.
     */
    static Answer acceptedAnswer(String transactionId) {
        String self = PAYMENTS_PATH + "/" + transactionId;
        return Answer.json(202, Map.of("Location", self), new JsonObject()
                .put(TRANSACTION_ID, transactionId)
                .put("status", "PENDING")
                .put("links", new JsonObject().put("self", self)));
    }

    /**
     * 202 for a payout that waits for a second person's approval: the transaction id, PENDING_APPROVAL, the
     * approval's id and links to both; rebuilt from the ids alone for every retry.
     */
    static Answer heldAnswer(String transactionId, String approvalId) {
        String self = PAYMENTS_PATH + "/" + transactionId;
        return Answer.json(202, Map.of("Location", self), new JsonObject()
                .put(TRANSACTION_ID, transactionId)
                .put("status", PENDING_APPROVAL)
                .put("approvalId", approvalId)
                .put("links", new JsonObject().put("self", self).put("approval", APPROVALS_PATH + "/" + approvalId)));
    }

    /** {@code answer} marked as a replay, as {@link Idempotency#replay} marks recorded answers. */
    private static void replay(RoutingContext context, Answer answer) {
        context.response().putHeader(Idempotency.REPLAYED_HEADER, "true");
        HttpReplies.reply(context, answer);
    }

    private static void unavailable(RoutingContext context) {
        if (context.response().closed() || context.response().ended()) {
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
            Optional<String> held = gate.heldStatus(transactionId, caller.merchantId());
            if (held.isPresent()) {
                AuditTrail.transactionId(context, transactionId);
                String approvalId = gate.approvalId(transactionId);
                HttpReplies.replyJson(context, 200, new JsonObject()
                        .put(TRANSACTION_ID, transactionId)
                        .put("status", held.get())
                        .put("approvalId", approvalId)
                        .put("links", new JsonObject().put("self", PAYMENTS_PATH + "/" + transactionId)
                                .put("approval", APPROVALS_PATH + "/" + approvalId)));
                return;
            }
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
