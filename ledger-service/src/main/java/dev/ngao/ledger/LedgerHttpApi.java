package dev.ngao.ledger;

import dev.ngao.platform.http.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The read-only query API. Every RocksDB read runs in {@code executeBlocking} (unordered, so
 * queries run side by side): point reads are usually microseconds, but a read that misses the cache
 * touches the disk, and the trial balance scans every account, so none runs on the event loop.
 */
final class LedgerHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerHttpApi.class);

    private final Vertx vertx;
    private final LedgerStore store;
    private final BooleanSupplier consuming;

    /**
     * @param consuming whether the decision poller is alive; /health reports 503 once it is not
     */
    LedgerHttpApi(Vertx vertx, LedgerStore store, BooleanSupplier consuming) {
        this.vertx = vertx;
        this.store = store;
        this.consuming = consuming;
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.get("/v1/balances/:account").handler(this::balance);
        router.get("/v1/entries/:transactionId").handler(this::entriesOfTransaction);
        router.get("/v1/trial-balance").handler(this::trialBalance);
        router.route().failureHandler(this::failure);
        router.errorHandler(404, context -> Problems.send(context, 404, "not-found", "Not found", null));
        router.errorHandler(405, context -> Problems.send(context, 405, "method-not-allowed", "Method not allowed",
                "the ledger API is read-only"));
        return router;
    }

    private void health(RoutingContext context) {
        boolean up = consuming.getAsBoolean();
        context.response().setStatusCode(up ? 200 : 503);
        reply(context, new JsonObject()
                .put("status", up ? "UP" : "DOWN")
                .put("lastSequence", store.head().sequence())
                .put("publishedSequence", store.publishedSequence()));
    }

    private void balance(RoutingContext context) {
        AccountName account;
        try {
            account = AccountName.parse(context.pathParam("account"));
        } catch (InvalidAccountNameException e) {
            Problems.send(context, 400, "invalid-account-name", "Invalid account name", e.getMessage());
            return;
        }
        vertx.executeBlocking(() -> store.balance(account), false)
                .onSuccess(balance -> balance.ifPresentOrElse(
                        found -> reply(context, LedgerJson.balance(account, found)),
                        () -> Problems.send(context, 404, "unknown-account", "Unknown account",
                                "no entry has posted to " + account)))
                .onFailure(context::fail);
    }

    private void entriesOfTransaction(RoutingContext context) {
        String transactionId = context.pathParam("transactionId");
        if (transactionId == null || transactionId.isBlank()
                || transactionId.length() > PostingRules.MAX_TRANSACTION_ID_LENGTH) {
            Problems.send(context, 400, "invalid-transaction-id", "Invalid transaction id",
                    "a transaction id has 1 to " + PostingRules.MAX_TRANSACTION_ID_LENGTH + " characters");
            return;
        }
        vertx.executeBlocking(() -> store.entriesOfTransaction(transactionId), false)
                .onSuccess(entries -> reply(context, LedgerJson.entriesOfTransaction(transactionId, entries)))
                .onFailure(context::fail);
    }

    private void trialBalance(RoutingContext context) {
        vertx.executeBlocking(store::trialBalance, false)
                .onSuccess(totals -> reply(context, LedgerJson.trialBalance(totals)))
                .onFailure(context::fail);
    }

    /** Sends {@code body}; a failed write means the caller went away, which only a debug line needs to know. */
    private static void reply(RoutingContext context, JsonObject body) {
        context.json(body).onFailure(error ->
                LOG.debug("Reply to {} not delivered: {}", context.normalizedPath(), error.getMessage()));
    }

    private void failure(RoutingContext context) {
        if (context.failure() != null) {
            LOG.error("Ledger query {} failed", context.normalizedPath(), context.failure());
        }
        int status = context.statusCode() >= 400 ? context.statusCode() : 500;
        Problems.send(context, status, status == 500 ? "internal-error" : "request-failed",
                status == 500 ? "Internal error" : "Request failed", null);
    }
}
