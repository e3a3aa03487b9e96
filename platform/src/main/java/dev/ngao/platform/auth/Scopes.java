package dev.ngao.platform.auth;

import dev.ngao.platform.http.Problems;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;

/**
 * What a key may do (least privilege): each route requires one scope, or one of a few when an operator
 * scope stands beside a merchant's own (see {@link Caller#mayRead}).
 */
public final class Scopes {

    public static final String PAYMENTS_WRITE = "payments:write";
    public static final String PAYMENTS_READ = "payments:read";
    /** Refunds send money back out of the merchant: a scope of their own, not part of payments:write. */
    public static final String REFUNDS_WRITE = "refunds:write";
    public static final String CARDS_ISSUE = "cards:issue";
    public static final String CARDS_MANAGE = "cards:manage";
    public static final String CARDS_AUTHORIZE = "cards:authorize";
    public static final String REVIEWS_RESOLVE = "reviews:resolve";
    public static final String LISTS_WRITE = "lists:write";
    public static final String RULES_ADMIN = "rules:admin";
    public static final String REPORTS_READ = "reports:read";
    /** A merchant's own balances, entries and payment lifecycles on the ledger. */
    public static final String LEDGER_READ = "ledger:read";
    /** A merchant's own usage counters (risk-streams). */
    public static final String USAGE_READ = "usage:read";
    /** A merchant's own webhook deliveries (notifier). */
    public static final String DELIVERIES_READ = "deliveries:read";
    /**
     * Operators: every merchant's data on every service, and the views that span merchants (trial balance,
     * ledger export, refusals, usage counters of accounts, devices and the like). Never for a merchant's key.
     */
    public static final String OPERATOR_READ = "operator:read";
    /** Operators: settlement-report uploads to the reconciler. */
    public static final String REPORTS_UPLOAD = "reports:upload";
    /**
     * Operators: set and lift emergency stops (payouts or all traffic, per merchant, provider or everywhere).
     * A scope of its own, never implied by operator:read: it halts other merchants' money.
     */
    public static final String OPERATOR_STOP = "operator:stop";
    /**
     * Maker-checker: approve or reject another key's payout above its merchant's threshold or batch card
     * issuance, and list what waits. Never implied by another scope, and never enough to approve a request
     * the same key made.
     */
    public static final String APPROVALS_APPROVE = "approvals:approve";

    public static final Set<String> ALL = Set.of(PAYMENTS_WRITE, PAYMENTS_READ, REFUNDS_WRITE, CARDS_ISSUE, CARDS_MANAGE,
            CARDS_AUTHORIZE, REVIEWS_RESOLVE, LISTS_WRITE, RULES_ADMIN, REPORTS_READ, LEDGER_READ, USAGE_READ,
            DELIVERIES_READ, OPERATOR_READ, REPORTS_UPLOAD, OPERATOR_STOP, APPROVALS_APPROVE);

    private Scopes() {
    }

    /** A handler that lets the request through only when the caller's key has {@code scope}; 403 otherwise. */
    public static Handler<RoutingContext> require(String scope) {
        return requireAny(scope);
    }

    /** A handler that lets the request through when the caller's key has any of {@code scopes}; 403 otherwise. */
    public static Handler<RoutingContext> requireAny(String... scopes) {
        if (scopes.length == 0) {
            throw new IllegalArgumentException("name at least one scope");
        }
        List<String> required = List.of(scopes);
        for (String scope : required) {
            if (!ALL.contains(scope)) {
                throw new IllegalArgumentException("unknown scope " + scope);
            }
        }
        String detail = required.size() == 1 ? "This key lacks the scope " + required.get(0) + "."
                : "This key has none of the scopes " + String.join(", ", required) + "; any one opens this route.";
        return context -> {
            Caller caller = Caller.of(context);
            if (required.stream().anyMatch(caller::has)) {
                context.next();
            } else {
                Problems.send(context, 403, "insufficient-scope", "Forbidden", detail);
            }
        };
    }
}
