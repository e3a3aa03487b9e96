package dev.ngao.ingest.card;

import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.payment.PaymentRequestEvents;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.status.DecisionAwaiter;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusJson;
import dev.ngao.ingest.status.PaymentStatusView;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
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
 * Authorization requests of the card network, answered synchronously: the request is written to
 * {@code payments.requests} (keyed by the card id), risk-streams' decision is awaited from
 * {@code risk.decisions}, and the network is answered within the deadline. When no decision came in time the
 * configured default applies and the answer says {@code "decidedBy": "timeout-default"}. Every answer is
 * recorded on {@code cards.authorizations}, which the status view follows, so what the network was told
 * outlives a restart and wins over a decision that arrives late.
 *
 * <p>The deadline runs from the moment the request is valid, and covers the write as well as the decision.
 * The answer record is written without waiting for it: the network's deadline comes first; a failed write is
 * logged as an error. If Kafka refuses the request itself before the deadline, the answer is 503 and nothing
 * was decided: the network applies its own stand-in rules.
 */
public final class CardAuthorizationRoutes implements RouteGroup {

    public static final String CARD_AUTHORIZATIONS_PATH = "/v1/card-authorizations";

    private static final Logger LOG = LoggerFactory.getLogger(CardAuthorizationRoutes.class);

    /** The deadline and what applies when it passes without a decision. */
    public record Policy(long deadlineMs, Outcome timeoutOutcome) {
        public Policy {
            if (deadlineMs < 1) {
                throw new IllegalArgumentException("deadlineMs must be positive");
            }
            if (timeoutOutcome != Outcome.APPROVE && timeoutOutcome != Outcome.DECLINE) {
                throw new IllegalArgumentException("the timeout default is APPROVE or DECLINE");
            }
        }
    }

    private final CardRequestValidator validator = new CardRequestValidator();
    private final CardEvents events;
    private final CardDirectory directory;
    private final PaymentRequestPublisher paymentPublisher;
    private final AcknowledgedPublisher<String, CardAuthorizationAnswer> answerPublisher;
    private final DecisionAwaiter decisions;
    private final PaymentStatusView statusView;
    private final Policy policy;
    private final Clock clock;
    private final int bodyLimitBytes;

    public CardAuthorizationRoutes(CardEvents events, CardDirectory directory, PaymentRequestPublisher paymentPublisher,
                                   AcknowledgedPublisher<String, CardAuthorizationAnswer> answerPublisher,
                                   DecisionAwaiter decisions,
                                   PaymentStatusView statusView, Policy policy, Clock clock, int bodyLimitBytes) {
        this.events = events;
        this.directory = directory;
        this.paymentPublisher = paymentPublisher;
        this.answerPublisher = answerPublisher;
        this.decisions = decisions;
        this.statusView = statusView;
        this.policy = policy;
        this.clock = clock;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, CARD_AUTHORIZATIONS_PATH, Scopes.CARDS_AUTHORIZE,
                bodyLimitBytes, this::authorize);
    }

    private void authorize(RoutingContext context) {
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        Validation<CardRequests.Authorization> result = validator.validateAuthorization(body.get());
        if (result instanceof Validation.Invalid<CardRequests.Authorization> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        CardRequests.Authorization request = ((Validation.Valid<CardRequests.Authorization>) result).value();
        Caller caller = Caller.of(context);
        Optional<CardDirectory.Card> card = directory.find(request.cardId(), caller.merchantId());
        if (card.isEmpty()) {
            JsonRoutes.notFound(context, "No card with this id.");
            return;
        }
        if (!card.get().currency().equals(request.currency())) {
            HttpReplies.validationProblem(context, List.of(new FieldError(CardRequestValidator.CURRENCY,
                    CardRequestValidator.notCardCurrency(card.get().currency()))));
            return;
        }
        PaymentRequest event = events.authorization(PaymentRequestEvents.newTransactionId(), card.get(), request,
                caller.keyId());
        decide(context, event);
    }

    /**
     * Awaits the decision before writing the request, so a decision that comes back fast is not missed. Both
     * callbacks run on this request's event loop, so {@code answered} needs no lock.
     */
    private void decide(RoutingContext context, PaymentRequest event) {
        boolean[] answered = {false};
        decisions.await(event.getTransactionId(), policy.deadlineMs()).onComplete(awaited -> {
            if (answered[0]) {
                return;
            }
            answered[0] = true;
            if (awaited.failed()) {
                LOG.warn("Authorization {} of card {} not decided: {}", event.getTransactionId(), event.getAccountId(),
                        awaited.cause().toString());
                JsonRoutes.unavailable(context, "Too many authorizations are waiting; retry later.");
                return;
            }
            answer(context, event, awaited.result());
        });
        paymentPublisher.publish(event).onComplete(written -> {
            if (written.succeeded()) {
                statusView.recordRequest(event);
                return;
            }
            LOG.warn("Authorization {} of card {} not accepted: Kafka did not acknowledge ({})",
                    event.getTransactionId(), event.getAccountId(), written.cause().toString());
            if (!answered[0]) {
                answered[0] = true;
                JsonRoutes.unavailable(context, "The authorization was not recorded; apply stand-in rules.");
            }
        });
    }

    private void answer(RoutingContext context, PaymentRequest event, Optional<PaymentStatus.Decision> decision) {
        CardAuthorizationAnswer answer = decision.map(decided -> riskAnswer(event, decided))
                .orElseGet(() -> timeoutAnswer(event));
        statusView.recordAnswer(answer);
        answerPublisher.publish(answer.getTransactionId(), answer).acknowledged().onFailure(error -> LOG.error(
                "Answer {} {} to authorization {} is not recorded: {}", answer.getDecidedBy(), answer.getOutcome(),
                answer.getTransactionId(), error.toString()));
        LOG.debug("Answered authorization {} of card {}: {} by {}", event.getTransactionId(), event.getAccountId(),
                answer.getOutcome(), answer.getDecidedBy());
        JsonArray reasons = new JsonArray();
        decision.ifPresent(decided -> decided.reasons().forEach(reason -> reasons.add(new JsonObject()
                .put("ruleId", reason.ruleId())
                .put("ruleSetVersion", reason.ruleSetVersion())
                .put("outcome", reason.outcome().name())
                .put("message", reason.message()))));
        HttpReplies.replyJson(context, 200, new JsonObject()
                .put("transactionId", event.getTransactionId())
                .put("cardId", event.getAccountId())
                .put("approved", answer.getOutcome() == Outcome.APPROVE)
                .put("outcome", answer.getOutcome().name())
                .put("decidedBy", decidedBy(answer.getDecidedBy()))
                .put("reason", answer.getReason())
                .put("reasons", reasons)
                .put("links", new JsonObject().put("self", PaymentRoutes.PAYMENTS_PATH + "/" + event.getTransactionId())));
    }

    /**
     * A network cannot wait for an analyst or for the payer's step-up verification: a REVIEW or a CHALLENGE is
     * answered DECLINE within the deadline (risk-streams then closes it with one AUTHORIZATION_ANSWER).
     */
    private CardAuthorizationAnswer riskAnswer(PaymentRequest event, PaymentStatus.Decision decision) {
        Outcome outcome = decision.outcome() == Outcome.APPROVE ? Outcome.APPROVE : Outcome.DECLINE;
        String reason = switch (decision.outcome()) {
            case APPROVE -> "approved by risk";
            case DECLINE -> "declined by risk";
            case REVIEW -> "held for review by risk: declined, as an authorization cannot wait for an analyst";
            case CHALLENGE -> "challenged by risk: declined, as an authorization cannot wait for a step-up verification";
        };
        return answerOf(event, outcome, AuthorizationDecider.RISK, decision.outcome(), reason);
    }

    private CardAuthorizationAnswer timeoutAnswer(PaymentRequest event) {
        return answerOf(event, policy.timeoutOutcome(), AuthorizationDecider.TIMEOUT_DEFAULT, null,
                "no risk decision within " + policy.deadlineMs() + " ms: the configured default applies");
    }

    private CardAuthorizationAnswer answerOf(PaymentRequest event, Outcome outcome, AuthorizationDecider decidedBy,
                                             Outcome riskOutcome, String reason) {
        return CardAuthorizationAnswer.newBuilder()
                .setTransactionId(event.getTransactionId())
                .setCardId(event.getAccountId())
                .setMerchantId(event.getMerchantId())
                .setAmount(new Money(event.getAmount().getAmountMinor(), event.getAmount().getCurrency()))
                .setOutcome(outcome)
                .setDecidedBy(decidedBy)
                .setRiskOutcome(riskOutcome)
                .setReason(reason)
                .setDeadlineMs(policy.deadlineMs())
                .setAnsweredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    /** The API's spelling of who decided. */
    public static String decidedBy(AuthorizationDecider decider) {
        return decider == AuthorizationDecider.TIMEOUT_DEFAULT ? PaymentStatusJson.DECIDED_BY_TIMEOUT_DEFAULT
                : PaymentStatusJson.DECIDED_BY_RISK;
    }
}
