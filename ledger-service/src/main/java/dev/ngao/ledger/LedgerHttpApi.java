package dev.ngao.ledger;

import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The read-only query API. Every RocksDB read runs in {@code executeBlocking} (unordered, so
 * queries run side by side): point reads are usually microseconds, but a read that misses the cache
 * touches the disk, and the trial balance scans every account, so none runs on the event loop.
 *
 * <p>Every route but {@code /health} (and {@code /metrics}, mounted beside it) takes signed requests only.
 * A key with {@code ledger:read} sees its own merchant's accounts ({@code merchant:<its id>:...}) and
 * transactions; any other account, owner or transaction is answered 404, exactly as one that does not
 * exist. {@code operator:read} sees every merchant's, and alone opens the views across merchants: refusals,
 * the trial balance and the export.
 */
final class LedgerHttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerHttpApi.class);
    /** Accounts one owner has: a handful of roles per currency. */
    private static final int MAX_OWNER_ACCOUNTS = 1_000;

    private final Vertx vertx;
    private final LedgerStore store;
    private final BooleanSupplier consuming;
    private final SignedRoutes signed;

    /**
     * @param consuming whether the decision poller is alive; /health reports 503 once it is not
     * @param signed    the guard every /v1 route sits behind
     */
    LedgerHttpApi(Vertx vertx, LedgerStore store, BooleanSupplier consuming, SignedRoutes signed) {
        this.vertx = vertx;
        this.store = store;
        this.consuming = consuming;
        this.signed = signed;
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        merchantRead(router, "/v1/balances/:account").handler(this::balance);
        merchantRead(router, "/v1/owners/:type/:owner/balances/:currency").handler(this::ownerBalance);
        merchantRead(router, "/v1/accounts/:account/entries").handler(this::entriesOfAccount);
        merchantRead(router, "/v1/entries/:transactionId").handler(this::entriesOfTransaction);
        merchantRead(router, "/v1/lifecycles/:transactionId").handler(this::lifecycle);
        // Across merchants: operators only.
        signed.get(router, "/v1/refusals", Scopes.OPERATOR_READ).handler(this::refusals);
        signed.get(router, "/v1/trial-balance", Scopes.OPERATOR_READ).handler(this::trialBalance);
        signed.get(router, "/v1/exports/entries/:day", Scopes.OPERATOR_READ).handler(this::export);
        router.route().failureHandler(this::failure);
        router.errorHandler(404, context -> Problems.send(context, 404, "not-found", "Not found", null));
        router.errorHandler(405, context -> Problems.send(context, 405, "method-not-allowed", "Method not allowed",
                "the ledger API is read-only"));
        return router;
    }

    /** A route a merchant's key may read its own data on, and an operator any merchant's. */
    private Route merchantRead(Router router, String path) {
        return signed.get(router, path, Scopes.LEDGER_READ, Scopes.OPERATOR_READ);
    }

    /** Whether the caller may see {@code account}: an operator any, a merchant its own merchant accounts. */
    private static boolean mayRead(Caller caller, AccountName account) {
        return caller.isOperator() || (account.type() == AccountType.MERCHANT && caller.mayRead(account.owner()));
    }

    private static void unknownAccount(RoutingContext context, AccountName account) {
        Problems.send(context, 404, "unknown-account", "Unknown account", "no entry has posted to " + account);
    }

    private static void unknownTransaction(RoutingContext context) {
        Problems.send(context, 404, "unknown-transaction", "Unknown transaction",
                "the ledger has seen no event of this transaction");
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
        if (!mayRead(Caller.of(context), account)) {
            unknownAccount(context, account);
            return;
        }
        vertx.executeBlocking(() -> store.balance(account), false)
                .onSuccess(balance -> balance.ifPresentOrElse(
                        found -> reply(context, LedgerJson.balance(account, found)),
                        () -> unknownAccount(context, account)))
                .onFailure(context::fail);
    }

    private void ownerBalance(RoutingContext context) {
        Optional<AccountType> type = AccountType.fromSegment(context.pathParam("type"));
        String owner = context.pathParam("owner");
        String currency = context.pathParam("currency");
        AccountName sample;
        try {
            sample = AccountName.of(context.pathParam("type"), owner, AccountName.AVAILABLE, currency);
        } catch (InvalidAccountNameException e) {
            Problems.send(context, 400, "invalid-account-name", "Invalid owner", e.getMessage());
            return;
        }
        if (!mayRead(Caller.of(context), sample)) {
            Problems.send(context, 404, "unknown-owner", "Unknown owner", "no account of this owner is known");
            return;
        }
        AccountType ownerType = type.orElseThrow();
        vertx.executeBlocking(() -> store.balancesOfOwner(ownerType, owner, MAX_OWNER_ACCOUNTS), false)
                .onSuccess(balances -> reply(context, LedgerJson.ownerBalance(
                        OwnerBalance.of(ownerType, owner, sample.currency(), balances))))
                .onFailure(context::fail);
    }

    private void entriesOfAccount(RoutingContext context) {
        AccountName account;
        PageRequest page;
        try {
            account = AccountName.parse(context.pathParam("account"));
            page = PageRequest.from(context);
        } catch (InvalidAccountNameException e) {
            Problems.send(context, 400, "invalid-account-name", "Invalid account name", e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            Problems.send(context, 400, "invalid-page", "Invalid page", e.getMessage());
            return;
        }
        if (!mayRead(Caller.of(context), account)) {
            unknownAccount(context, account);
            return;
        }
        vertx.executeBlocking(() -> store.entriesOfAccount(account, page.range(), page.after(), page.limit()), false)
                .onSuccess(found -> reply(context, LedgerJson.page(found).put("account", account.toString())))
                .onFailure(context::fail);
    }

    private void entriesOfTransaction(RoutingContext context) {
        String transactionId = context.pathParam("transactionId");
        if (!validTransactionId(context, transactionId)) {
            return;
        }
        PageRequest page;
        try {
            page = PageRequest.from(context);
        } catch (IllegalArgumentException e) {
            Problems.send(context, 400, "invalid-page", "Invalid page", e.getMessage());
            return;
        }
        Caller caller = Caller.of(context);
        vertx.executeBlocking(() -> mayReadTransaction(caller, transactionId)
                        ? Optional.of(store.entriesOfTransaction(transactionId, page.range(), page.after(),
                        page.limit())) : Optional.<EntryPage>empty(), false)
                .onSuccess(found -> found.ifPresentOrElse(
                        entries -> reply(context, LedgerJson.page(entries).put("transactionId", transactionId)),
                        () -> unknownTransaction(context)))
                .onFailure(context::fail);
    }

    private void lifecycle(RoutingContext context) {
        String transactionId = context.pathParam("transactionId");
        if (!validTransactionId(context, transactionId)) {
            return;
        }
        Caller caller = Caller.of(context);
        vertx.executeBlocking(() -> store.lifecycle(transactionId)
                        .filter(lifecycle -> caller.isOperator() || ownedBy(lifecycle, caller)), false)
                .onSuccess(found -> found.ifPresentOrElse(lifecycle -> reply(context, lifecycle.toJson()),
                        () -> unknownTransaction(context)))
                .onFailure(context::fail);
    }

    /**
     * Whether the caller may see the transaction: an operator any; a merchant one whose lifecycle names it.
     * A transaction without a lifecycle has no merchant to compare, so only operators see it. Runs blocking.
     */
    private boolean mayReadTransaction(Caller caller, String transactionId) {
        return caller.isOperator() || store.lifecycle(transactionId).filter(found -> ownedBy(found, caller)).isPresent();
    }

    private static boolean ownedBy(Lifecycle lifecycle, Caller caller) {
        return lifecycle.facts() != null && caller.mayRead(lifecycle.facts().merchantId());
    }

    private void refusals(RoutingContext context) {
        PageRequest page;
        try {
            page = PageRequest.from(context);
        } catch (IllegalArgumentException e) {
            Problems.send(context, 400, "invalid-page", "Invalid page", e.getMessage());
            return;
        }
        vertx.executeBlocking(() -> store.refusalsAfter(page.after(), page.limit()), false)
                .onSuccess(found -> reply(context, LedgerJson.refusals(found, page.limit())))
                .onFailure(context::fail);
    }

    private void export(RoutingContext context) {
        String day = context.pathParam("day");
        LocalDate date;
        try {
            date = LocalDate.parse(day.endsWith(".csv") ? day.substring(0, day.length() - 4) : day);
        } catch (DateTimeParseException e) {
            Problems.send(context, 400, "invalid-day", "Invalid day", "the day is yyyy-mm-dd (UTC), e.g. 2025-01-15");
            return;
        }
        vertx.executeBlocking(() -> EntryCsv.ofDay(store, date), false)
                .onSuccess(csv -> context.response()
                        .putHeader("Content-Type", "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"ledger-entries-" + date + ".csv\"")
                        .end(csv)
                        .onFailure(error -> LOG.debug("Export of {} not delivered: {}", date, error.getMessage())))
                .onFailure(context::fail);
    }

    private static boolean validTransactionId(RoutingContext context, String transactionId) {
        if (transactionId == null || transactionId.isBlank()
                || transactionId.length() > PostingRules.MAX_TRANSACTION_ID_LENGTH) {
            Problems.send(context, 400, "invalid-transaction-id", "Invalid transaction id",
                    "a transaction id has 1 to " + PostingRules.MAX_TRANSACTION_ID_LENGTH + " characters");
            return false;
        }
        return true;
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
