package dev.ngao.notifier;

import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The read-only delivery log: deliveries by merchant or transaction, one delivery with every attempt, and
 * health. RocksDB reads run in {@code executeBlocking}, never on the event loop.
 *
 * <p>The /v1 routes take signed requests only. A key with {@code deliveries:read} sees its own merchant's
 * deliveries: its listings are of its merchant (naming another merchant answers 404, as an unknown one
 * would), and another merchant's delivery is answered 404 like one that does not exist. A key with
 * {@code operator:read} sees every merchant's. /health and /metrics stay open.
 */
final class NotifierHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierHttpApi.class);
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** A merchant query with a status filter reads at most this many index entries. */
    private static final int MAX_SCANNED = 10_000;
    private static final int MAX_ID_LENGTH = 128;

    private final Vertx vertx;
    private final NotifierStore store;
    private final BooleanSupplier consuming;
    private final SignedRoutes signed;

    NotifierHttpApi(Vertx vertx, NotifierStore store, BooleanSupplier consuming, SignedRoutes signed) {
        this.vertx = vertx;
        this.store = store;
        this.consuming = consuming;
        this.signed = signed;
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        signed.get(router, "/v1/deliveries", Scopes.DELIVERIES_READ, Scopes.OPERATOR_READ).handler(this::deliveries);
        signed.get(router, "/v1/deliveries/:webhookId", Scopes.DELIVERIES_READ, Scopes.OPERATOR_READ)
                .handler(this::delivery);
        router.route().failureHandler(this::failure);
        router.errorHandler(404, context -> Problems.send(context, 404, "not-found", "Not found", null));
        router.errorHandler(405, context -> Problems.send(context, 405, "method-not-allowed", "Method not allowed",
                "the delivery log is read-only"));
        return router;
    }

    private void health(RoutingContext context) {
        boolean up = consuming.getAsBoolean();
        context.response().setStatusCode(up ? 200 : 503);
        reply(context, new JsonObject().put("status", up ? "UP" : "DOWN"));
    }

    private void deliveries(RoutingContext context) {
        Caller caller = Caller.of(context);
        String named = context.queryParams().get("merchant");
        // A merchant's key lists its own merchant's deliveries, whether it names it or not.
        String merchant = named == null && !caller.isOperator() ? caller.merchantId() : named;
        String transaction = context.queryParams().get("transaction");
        String statusText = context.queryParams().get("status");
        if (merchant != null && !caller.mayRead(merchant)) {
            Problems.send(context, 404, "unknown-merchant", "Unknown merchant",
                    "no delivery of this merchant is known");
            return;
        }
        if (merchant == null && transaction == null) {
            Problems.send(context, 400, "missing-filter", "Missing filter",
                    "name a merchant (merchant=) or a transaction (transaction=), or both");
            return;
        }
        if (!validId(merchant) || !validId(transaction)) {
            Problems.send(context, 400, "invalid-id", "Invalid id",
                    "merchant and transaction ids have 1 to " + MAX_ID_LENGTH + " characters");
            return;
        }
        DeliveryStatus status;
        int limit;
        try {
            status = statusText == null ? null : DeliveryStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
            limit = limit(context.queryParams().get("limit"));
        } catch (IllegalArgumentException e) {
            Problems.send(context, 400, "invalid-query", "Invalid query",
                    "status is one of WAITING_FOR_REQUEST, PENDING, ACKNOWLEDGED, GAVE_UP, NO_ENDPOINT; limit is 1 to "
                            + MAX_LIMIT);
            return;
        }
        Predicate<Delivery> filter = delivery -> (status == null || delivery.status() == status)
                && (merchant == null || merchant.equals(delivery.merchantId()));
        vertx.executeBlocking(() -> transaction != null
                        ? store.byTransaction(transaction, MAX_LIMIT).stream().filter(filter).limit(limit).toList()
                        : store.byMerchant(merchant, filter, limit, MAX_SCANNED), false)
                .onSuccess(found -> reply(context, page(found)))
                .onFailure(context::fail);
    }

    private void delivery(RoutingContext context) {
        String webhookId = context.pathParam("webhookId");
        if (!WebhookIds.looksValid(webhookId)) {
            Problems.send(context, 400, "invalid-webhook-id", "Invalid webhook id",
                    "a webhook id is msg_ followed by 32 lower-case hex digits");
            return;
        }
        Caller caller = Caller.of(context);
        vertx.executeBlocking(() -> store.delivery(webhookId).filter(found -> caller.mayRead(found.merchantId())), false)
                .onSuccess(found -> found.ifPresentOrElse(delivery -> reply(context, toJson(delivery, true)),
                        () -> Problems.send(context, 404, "unknown-delivery", "Unknown delivery",
                                "no final status with this webhook id was recorded")))
                .onFailure(context::fail);
    }

    private static JsonObject page(List<Delivery> deliveries) {
        JsonArray items = new JsonArray();
        deliveries.forEach(delivery -> items.add(toJson(delivery, false)));
        return new JsonObject().put("deliveries", items).put("count", deliveries.size());
    }

    static JsonObject toJson(Delivery delivery, boolean withPayload) {
        JsonArray attempts = new JsonArray();
        delivery.attempts().forEach(attempt -> attempts.add(attempt.toJson()));
        JsonObject json = new JsonObject()
                .put("webhookId", delivery.webhookId())
                .put("transactionId", delivery.transactionId())
                .put("merchantId", delivery.merchantId())
                .put("finalStatus", delivery.finalStatus().name())
                .put("reason", delivery.reason())
                .put("occurredAt", delivery.occurredAt().toString())
                .put("status", delivery.status().name())
                .put("createdAt", delivery.createdAt().toString())
                .put("nextAttemptAt", delivery.nextAttemptAt() == null ? null : delivery.nextAttemptAt().toString())
                .put("attemptCount", delivery.attempts().size())
                .put("attempts", attempts);
        if (withPayload && delivery.body() != null) {
            json.put("payload", new JsonObject(delivery.body()));
        }
        return json;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit out of range");
        }
        return limit;
    }

    private static boolean validId(String id) {
        return id == null || (!id.isBlank() && id.length() <= MAX_ID_LENGTH);
    }

    private void failure(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure != null) {
            LOG.error("Delivery log query {} failed: {}", context.normalizedPath(), failure.toString());
        }
        int status = context.statusCode() >= 400 && context.statusCode() < 500 ? context.statusCode() : 500;
        Problems.send(context, status, status == 500 ? "internal-error" : "bad-request",
                status == 500 ? "Internal error" : "Bad request", null);
    }

    private static void reply(RoutingContext context, JsonObject body) {
        context.json(body).onFailure(error ->
                LOG.debug("Reply to {} not delivered: {}", context.normalizedPath(), error.getMessage()));
    }
}
