package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.audit.AuditTrail;
import dev.ngao.ingest.http.Answer;
import dev.ngao.ingest.http.AnswerRecorder;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.RequestBodies;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.idempotency.ClaimKey;
import dev.ngao.ingest.idempotency.ClaimOutcome;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.idempotency.ClaimTicket;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.AcknowledgedPublisher.Publication;
import dev.ngao.platform.http.Problems;
import dev.ngao.platform.webhook.WebhookVerdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Provider webhooks, one endpoint per provider, outside {@code /v1} and its API-key guards: each call is
 * checked with its provider's own scheme and secrets first, and nothing else happens to a call that fails
 * (401, audited). A signed call is read into a {@link ProviderNotification}, then:
 * <ol>
 *   <li>its transaction must be one Ngao submitted ({@link SubmittedTransactions}: on {@code payments.requests}
 *       or {@code providers.events}); a miss is judged again once both topics were read to their end, so a
 *       payment another instance accepted a moment ago counts. A transaction still unknown is refused 404
 *       {@code unknown-transaction} (audited, nothing written, the event id not claimed: a redelivery is judged
 *       afresh). When the set reached its bound and cannot tell, the call goes on, audited as unverifiable;</li>
 *   <li>de-duplicated by the provider's event id in the claim store (scope {@code webhook:<provider>}): a
 *       redelivery gets the first answer again and writes nothing;</li>
 *   <li>judged against the transaction's provider status under a short per-transaction lock (a claim in
 *       scope {@code webhook-transaction}), after the status view has read {@code providers.events} up to
 *       its end: so two instances never judge two statuses of one transaction at once, and each judges
 *       against every status written before. The state never moves backwards ({@link StatusTransitions});</li>
 *   <li>written to {@code providers.events} keyed by transaction id, with its transition, and answered
 *       200 only once Kafka acknowledged it. Stale, duplicate and conflicting statuses are written too,
 *       marked, so the review sees them; they do not move the state.</li>
 * </ol>
 * Every call, refused or not, is audited on {@code audit.ingest} like any request, with the provider as
 * actor ({@code provider:<name>}), the refusal's problem type as reason and the signature verdict as a
 * detail; a signed call adds its transaction and the provider's event id. {@link WebhookAudit} also gets
 * every outcome (by default a log of its own).
 */
public final class WebhookRoutes implements RouteGroup {

    public static final String RETRY_AFTER_SECONDS = "5";
    /** Audit details this route adds: why a signature was refused, the provider's event id, the transition. */
    public static final String VERDICT_DETAIL = "webhookVerdict";
    public static final String PROVIDER_EVENT_DETAIL = "providerEventId";
    public static final String TRANSITION_DETAIL = "transition";
    /** Audit detail of a call whose transaction could not be checked (the set of submitted ones is full). */
    public static final String SUBMITTED_DETAIL = "submittedTransaction";
    public static final String UNKNOWN_TRANSACTION = "unknown-transaction";

    private static final String ACTOR_PREFIX = "provider:";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

    private final List<WebhookEndpoint> endpoints;
    private final Idempotency idempotency;
    private final ClaimStore claims;
    private final AcknowledgedPublisher<String, ProviderEvent> publisher;
    private final ProviderStatusView view;
    private final ProviderStatusSync sync;
    private final SubmittedTransactions submitted;
    private final ProviderStatusSync submittedSync;
    private final WebhookAudit audit;
    private final Clock clock;
    private final int bodyLimitBytes;
    private final Duration lockLease;
    private final Duration lockWait;

    /**
     * @param lockLease how long a per-transaction lock holds if its holder dies
     * @param lockWait  how long a call waits for another call on the same transaction before 503
     * @param submitted     the transactions Ngao submitted; a webhook must name one
     * @param submittedSync completes once {@code submitted} holds every transaction written to its topics so far
     */
    public WebhookRoutes(List<WebhookEndpoint> endpoints, Idempotency idempotency,
                         AcknowledgedPublisher<String, ProviderEvent> publisher, ProviderStatusView view,
                         ProviderStatusSync sync, SubmittedTransactions submitted, ProviderStatusSync submittedSync,
                         WebhookAudit audit, Clock clock, int bodyLimitBytes, Duration lockLease, Duration lockWait) {
        this.endpoints = List.copyOf(endpoints);
        this.idempotency = idempotency;
        this.claims = idempotency.store();
        this.publisher = publisher;
        this.view = view;
        this.sync = sync;
        this.submitted = submitted;
        this.submittedSync = submittedSync;
        this.audit = audit;
        this.clock = clock;
        this.bodyLimitBytes = bodyLimitBytes;
        this.lockLease = lockLease;
        this.lockWait = lockWait;
    }

    @Override
    public void mount(Router router) {
        for (WebhookEndpoint endpoint : endpoints) {
            if (endpoint.secrets().isEmpty()) {
                LOG.warn("No secret configured for {} webhooks: every call to {} is refused",
                        endpoint.provider(), endpoint.path());
            }
            // A route of its own: Vert.x takes no user handler ahead of the body handler on one route.
            router.post(endpoint.path()).handler(context -> attribute(context, endpoint));
            router.post(endpoint.path())
                    .handler(RequestBodies.buffer(bodyLimitBytes))
                    .handler(context -> receive(context, endpoint));
        }
    }

    /**
     * Names the provider as the actor of the call's audit record before anything can refuse it (an oversized
     * body included), so forged and stale calls are on audit.ingest under the provider they claim to be.
     */
    private static void attribute(RoutingContext context, WebhookEndpoint endpoint) {
        AuditTrail.actor(context, actorOf(endpoint.provider()));
        context.next();
    }

    /** The audit actor of a provider's calls: {@code provider:<name>}. */
    private static String actorOf(String provider) {
        return ACTOR_PREFIX + provider;
    }

    private void receive(RoutingContext context, WebhookEndpoint endpoint) {
        byte[] body = context.body().isEmpty() ? new byte[0] : context.body().buffer().getBytes();
        WebhookVerdict verdict = endpoint.verify(context.request()::getHeader, body, clock.instant());
        if (verdict != WebhookVerdict.VALID) {
            refuseSignature(context, endpoint, verdict);
            return;
        }
        Optional<Map<String, Object>> json = HttpReplies.jsonObjectBody(context);
        if (json.isEmpty()) {
            audit.record(endpoint.provider(), "webhook.refused", "MALFORMED_JSON", "", clientAddress(context));
            HttpReplies.malformedJson(context);
            return;
        }
        ProviderPayload.Parsed parsed = endpoint.payload().parse(json.get());
        if (parsed instanceof ProviderPayload.Invalid invalid) {
            audit.record(endpoint.provider(), "webhook.refused", "INVALID_PAYLOAD", "", clientAddress(context));
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        ProviderNotification notification = ((ProviderPayload.Valid) parsed).notification();
        // Only a signed, readable call names its transaction and event: a forger cannot put them on the record.
        AuditTrail.transactionId(context, notification.transactionId());
        AuditTrail.detail(context, PROVIDER_EVENT_DETAIL, notification.providerEventId());
        whenSubmitted(context, notification, () -> idempotency.execute(context,
                ClaimKey.webhook(notification.provider(), notification.providerEventId()),
                ProviderEvents.fingerprint(notification), () -> process(context, notification),
                reused -> eventReused(reused, notification)));
    }

    /**
     * Runs {@code next} if the notification's transaction is one Ngao submitted; refuses the call otherwise.
     * Checked before the event id is claimed, so a refused event can still apply when it comes again.
     */
    private void whenSubmitted(RoutingContext context, ProviderNotification notification, Runnable next) {
        if (submitted.verdict(notification.transactionId()) == SubmittedTransactions.Verdict.KNOWN) {
            next.run();
            return;
        }
        // A miss may be a payment another instance accepted a moment ago: judge again once both topics are read.
        CompletableFuture<Void> synced = submittedSync.awaitEnd()
                .orTimeout(lockLease.toMillis() / 2, TimeUnit.MILLISECONDS);
        Future.fromCompletionStage(synced, context.vertx().getOrCreateContext()).onComplete(caughtUp -> {
            if (caughtUp.failed()) {
                unavailable(context, notification, "submitted transactions behind: " + caughtUp.cause());
                return;
            }
            switch (submitted.verdict(notification.transactionId())) {
                case KNOWN -> next.run();
                case UNVERIFIABLE -> {
                    AuditTrail.detail(context, SUBMITTED_DETAIL, SubmittedTransactions.Verdict.UNVERIFIABLE.name());
                    LOG.warn("{} event of transaction {} let through unchecked: the set of submitted transactions "
                            + "is full (ingest.webhooks.submitted.max.entries)", notification.provider(),
                            notification.transactionId());
                    next.run();
                }
                case UNKNOWN -> refuseUnknownTransaction(context, notification);
            }
        });
    }

    private void refuseUnknownTransaction(RoutingContext context, ProviderNotification notification) {
        String eventId = ProviderEvents.eventId(notification.provider(), notification.providerEventId());
        audit.record(notification.provider(), "webhook.refused", "UNKNOWN_TRANSACTION", eventId,
                clientAddress(context));
        Problems.send(context, 404, UNKNOWN_TRANSACTION, "Unknown Transaction",
                "The event names a transaction Ngao did not submit; nothing was recorded.");
    }

    private void refuseSignature(RoutingContext context, WebhookEndpoint endpoint, WebhookVerdict verdict) {
        // The audit record keeps the precise verdict; the answer does not.
        AuditTrail.detail(context, VERDICT_DETAIL, verdict.name());
        audit.record(endpoint.provider(), "webhook.refused", verdict.name(), "", clientAddress(context));
        // One answer for every reason: a forger learns nothing about which check failed.
        Problems.send(context, 401, "webhook-signature-invalid", "Unauthorized",
                "The webhook's signature or timestamp is missing, malformed, stale or wrong.");
    }

    private void eventReused(RoutingContext context, ProviderNotification notification) {
        String eventId = ProviderEvents.eventId(notification.provider(), notification.providerEventId());
        audit.record(notification.provider(), "webhook.refused", "EVENT_ID_REUSED", eventId, clientAddress(context));
        Problems.send(context, 422, "webhook-event-reused", "Event Id Reused",
                "This event id was delivered before with different content; nothing was done.");
    }

    /** The first delivery of an event: under the transaction's lock, judge, write, answer. */
    private void process(RoutingContext context, ProviderNotification notification) {
        lockThen(context, notification, clock.instant().plus(lockWait));
    }

    private void lockThen(RoutingContext context, ProviderNotification notification, Instant deadline) {
        ClaimKey lock = ClaimKey.transactionLock(notification.transactionId());
        String eventId = ProviderEvents.eventId(notification.provider(), notification.providerEventId());
        Future.fromCompletionStage(claims.claim(lock, eventId, lockLease), context.vertx().getOrCreateContext())
                .onComplete(result -> {
                    if (result.failed()) {
                        unavailable(context, notification, "cannot lock: " + result.cause());
                    } else if (result.result() instanceof ClaimOutcome.Won won) {
                        judgeAndWrite(context, notification, won.ticket());
                    } else if (result.result() instanceof ClaimOutcome.Undecidable) {
                        unavailable(context, notification, "claim table full");
                    } else {
                        waitForLock(context, notification, lock, deadline);
                    }
                });
    }

    private void waitForLock(RoutingContext context, ProviderNotification notification, ClaimKey lock,
                             Instant deadline) {
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
            unavailable(context, notification, "transaction busy");
            return;
        }
        Future.fromCompletionStage(claims.nextChange(lock, remaining), context.vertx().getOrCreateContext())
                .onComplete(ignored -> lockThen(context, notification, deadline));
    }

    private void judgeAndWrite(RoutingContext context, ProviderNotification notification, ClaimTicket lock) {
        CompletableFuture<Void> synced = sync.awaitEnd().orTimeout(lockLease.toMillis() / 2, TimeUnit.MILLISECONDS);
        Future.fromCompletionStage(synced, context.vertx().getOrCreateContext()).onComplete(caughtUp -> {
            if (caughtUp.failed()) {
                unlock(lock, "status-view-behind");
                unavailable(context, notification, "status view behind: " + caughtUp.cause());
                return;
            }
            ProviderStatus previous = view.find(notification.transactionId()).orElse(null);
            StatusTransition transition = StatusTransitions.judge(previous, notification.status());
            ProviderEvent event = ProviderEvents.create(notification, previous, transition, clock.instant());
            Publication publication = publisher.publish(event.getTransactionId(), event);
            publication.acknowledged().onComplete(written -> {
                if (written.succeeded()) {
                    view.apply(event);
                    unlock(lock, "written");
                    written(context, event);
                } else {
                    notWritten(context, notification, event, lock, publication);
                }
            });
        });
    }

    private void written(RoutingContext context, ProviderEvent event) {
        AuditTrail.detail(context, TRANSITION_DETAIL, event.getTransition().name());
        audit.record(event.getProvider(), "webhook.accepted", event.getTransition().name(), event.getEventId(),
                clientAddress(context));
        if (event.getTransition() == StatusTransition.CONFLICT) {
            LOG.warn("Provider event {} of transaction {}: {} after {}, recorded as a conflict for review",
                    event.getEventId(), event.getTransactionId(), event.getStatus(), event.getPreviousStatus());
        }
        HttpReplies.reply(context, acceptedAnswer(event));
    }

    private static Answer acceptedAnswer(ProviderEvent event) {
        return Answer.json(200, Map.of(), new JsonObject()
                .put("eventId", event.getEventId())
                .put("transition", event.getTransition().name()));
    }

    private void notWritten(RoutingContext context, ProviderNotification notification, ProviderEvent event,
                            ClaimTicket lock, Publication publication) {
        if (publication.undecided()) {
            // The write may still land: the event id and the lock stay claimed until Kafka decides.
            Future<Answer> eventual = publication.settled().map(position -> {
                view.apply(event);
                return acceptedAnswer(event);
            });
            AnswerRecorder.of(context).ifPresent(recorder -> recorder.recordLater(eventual));
            eventual.onComplete(ignored -> unlock(lock, "settled"));
        } else {
            unlock(lock, "write-failed");
        }
        unavailable(context, notification, "Kafka did not acknowledge: " + publication.acknowledged().cause());
    }

    private void unlock(ClaimTicket lock, String reason) {
        claims.release(lock, reason).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("Cannot release the lock of a transaction ({}); it frees itself after {}", error.toString(),
                        lockLease);
            }
        });
    }

    private void unavailable(RoutingContext context, ProviderNotification notification, String why) {
        LOG.warn("{} event of transaction {} not processed: {}", notification.provider(),
                notification.transactionId(), why);
        context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        Problems.send(context, 503, "unavailable", "Service Unavailable", "The event was not processed; retry later.");
    }

    private static String clientAddress(RoutingContext context) {
        SocketAddress address = context.request().remoteAddress();
        return address == null || address.hostAddress() == null ? "unknown" : address.hostAddress();
    }
}
