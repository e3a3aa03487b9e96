package dev.ngao.ingest.idempotency;

import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code Idempotency-Key} for requests that create something, after the IETF draft
 * (draft-ietf-httpapi-idempotency-key-header): the key is required (400 without it); the first request
 * with a key does the work; a retry with the same key and the same request gets the first answer byte for
 * byte (status, replayable headers, body; plus {@code Idempotent-Replayed: true}) and writes nothing; the
 * same key with another request is refused with 422; a retry while the first is still running waits for
 * its answer up to {@code waitForFirst} and replays it, or gets 409. A first request that is refused (any
 * answer but 2xx) frees its key before its refusal is sent where the refusal passes through the recorder,
 * and right after it otherwise; another request under a key still in progress therefore waits for the
 * first's outcome as a retry does (bounded alike) and goes through once the key is freed. Keys are scoped
 * per merchant.
 *
 * <p>Wiring: {@link #guard()} runs among the {@code /v1} guards and makes this instance available to the
 * routes; a creating route mounts {@link #required()} after its body handler and before its own handler:
 * <pre>router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(limit))
 *       .handler(Idempotency.required()).handler(this::create);</pre>
 * and answers its success through {@code HttpReplies.replyJson}/{@code reply}, which the recorder sees.
 */
public final class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** Seconds a caller should wait before retrying a key still in progress or a store that failed. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
    private static final String CONTEXT_KEY = "ngao.idempotency";

    private final ClaimStore store;
    private final Duration waitForFirst;
    private final Clock clock;

    /** @param waitForFirst how long a retry waits for the first request's answer before 409 */
    public Idempotency(ClaimStore store, Duration waitForFirst, Clock clock) {
        this.store = store;
        this.waitForFirst = waitForFirst;
        this.clock = clock;
    }

    /** The guard that makes this instance available to {@link #required()} on every route behind it. */
    public Handler<RoutingContext> guard() {
        return context -> {
            context.put(CONTEXT_KEY, this);
            context.next();
        };
    }

    /** The per-route handler: requires the key, then lets the first request through and replays the rest. */
    public static Handler<RoutingContext> required() {
        return context -> of(context).requireKey(context);
    }

    /** The instance the guard put in {@code context}; fails loudly if a route was mounted without the guard. */
    public static Idempotency of(RoutingContext context) {
        Idempotency idempotency = context.get(CONTEXT_KEY);
        if (idempotency == null) {
            throw new IllegalStateException("no idempotency guard: route mounted outside the /v1 guards");
        }
        return idempotency;
    }

    public ClaimStore store() {
        return store;
    }

    private void requireKey(RoutingContext context) {
        presentedKey(context).ifPresent(key ->
                execute(context, key, Fingerprints.ofRequest(context), context::next, Idempotency::keyReused));
    }

    /**
     * The request's {@code Idempotency-Key} in the caller's merchant scope; when it is missing or malformed
     * the request is answered 400 here and the result is empty.
     */
    public static Optional<ClaimKey> presentedKey(RoutingContext context) {
        List<String> values = context.request().headers().getAll(HEADER);
        if (values.isEmpty()) {
            Problems.send(context, 400, "idempotency-key-required", "Idempotency Key Required",
                    "Send an " + HEADER + " header (1 to " + IdempotencyKeys.MAXIMUM_LENGTH
                            + " printable ASCII characters) with every request that creates something.");
            return Optional.empty();
        }
        if (values.size() > 1 || !IdempotencyKeys.isValid(values.get(0))) {
            Problems.send(context, 400, "idempotency-key-invalid", "Invalid Idempotency Key",
                    "Send one " + HEADER + " of 1 to " + IdempotencyKeys.MAXIMUM_LENGTH + " printable ASCII characters.");
            return Optional.empty();
        }
        return Optional.of(ClaimKey.merchant(Caller.of(context).merchantId(), values.get(0)));
    }

    /**
     * Runs {@code proceed} for the first request with {@code key}, whose answer is then recorded; replays
     * that answer to a retry with the same fingerprint; calls {@code onReused} for another fingerprint.
     */
    public void execute(RoutingContext context, ClaimKey key, String fingerprint, Runnable proceed,
                        Consumer<RoutingContext> onReused) {
        attempt(context, key, fingerprint, proceed, onReused, clock.instant().plus(waitForFirst));
    }

    private void attempt(RoutingContext context, ClaimKey key, String fingerprint, Runnable proceed,
                         Consumer<RoutingContext> onReused, Instant deadline) {
        Future.fromCompletionStage(store.claim(key, fingerprint), context.vertx().getOrCreateContext())
                .onComplete(result -> {
                    if (result.failed()) {
                        LOG.warn("Cannot claim a {} key: {}", key.scope(), result.cause().toString());
                        unavailable(context);
                        return;
                    }
                    ClaimOutcome outcome = result.result();
                    if (outcome instanceof ClaimOutcome.Won won) {
                        new IdempotentExchange(store, won.ticket(), context).begin();
                        proceed.run();
                    } else if (outcome instanceof ClaimOutcome.Replay replay) {
                        if (replay.sameRequest()) {
                            replay(context, replay.answer());
                        } else {
                            onReused.accept(context);
                        }
                    } else if (outcome instanceof ClaimOutcome.InProgress inProgress) {
                        // Another request under a key still in progress is not a reuse yet: if the first is
                        // refused, its key is freed (the corrected retry a merchant sends straight after a
                        // 422 races the release, on this instance or one whose log lags). Both wait for the
                        // first's outcome.
                        waitThenRetry(context, key, fingerprint, proceed, onReused, deadline,
                                inProgress.sameRequest());
                    } else if (outcome instanceof ClaimOutcome.Accepted) {
                        // Only a payment accepts with one write; its fingerprint names its route, so another
                        // route's request under the same key is always another request.
                        onReused.accept(context);
                    } else {
                        LOG.error("Claim table full: refusing a new {} key", key.scope());
                        unavailable(context);
                    }
                });
    }

    /**
     * Waits for the next change of {@code key} held by a request still in progress, then judges afresh; at
     * the deadline, a retry of that request gets 409 and another request 422, as the key is still taken.
     */
    private void waitThenRetry(RoutingContext context, ClaimKey key, String fingerprint, Runnable proceed,
                               Consumer<RoutingContext> onReused, Instant deadline, boolean sameRequest) {
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero() || context.response().closed()) {
            if (sameRequest) {
                inProgress(context);
            } else {
                onReused.accept(context);
            }
            return;
        }
        // Woken by the key's next change (answer, release, new claim) or the deadline; then judged afresh.
        Future.fromCompletionStage(store.nextChange(key, remaining), context.vertx().getOrCreateContext())
                .onComplete(ignored -> attempt(context, key, fingerprint, proceed, onReused, deadline));
    }

    /** The recorded answer as it was first sent, marked as a replay. */
    public static void replay(RoutingContext context, RecordedAnswer answer) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(answer.status());
        answer.headers().forEach(header -> response.headers().remove(header.name()));
        answer.headers().forEach(header -> response.headers().add(header.name(), header.value()));
        response.putHeader(REPLAYED_HEADER, "true");
        response.end(answer.bodyBuffer());
    }

    /** 422: the key was used with another request. */
    public static void keyReused(RoutingContext context) {
        Problems.send(context, 422, "idempotency-key-reused", "Idempotency Key Reused",
                "This " + HEADER + " was used with a different request; use a new key for a new request.");
    }

    /** 409: the first request with this key is still running. */
    public static void inProgress(RoutingContext context) {
        context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        Problems.send(context, 409, "idempotency-request-in-progress", "Request In Progress",
                "A request with this " + HEADER + " is still being processed; retry later.");
    }

    /** 503: the key could not be judged (the claim log failed, or the table is full). */
    public static void unavailable(RoutingContext context) {
        context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        Problems.send(context, 503, "unavailable", "Service Unavailable",
                "The request could not be checked for repetition; retry later with the same " + HEADER + ".");
    }
}
