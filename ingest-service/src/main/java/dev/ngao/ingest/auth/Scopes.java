package dev.ngao.ingest.auth;

import dev.ngao.platform.http.Problems;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** What a key may do (least privilege): each route requires one scope. */
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

    public static final Set<String> ALL = Set.of(PAYMENTS_WRITE, PAYMENTS_READ, REFUNDS_WRITE, CARDS_ISSUE, CARDS_MANAGE,
            CARDS_AUTHORIZE, REVIEWS_RESOLVE, LISTS_WRITE, RULES_ADMIN, REPORTS_READ);

    private Scopes() {
    }

    /** A handler that lets the request through only when the caller's key has {@code scope}; 403 otherwise. */
    public static Handler<RoutingContext> require(String scope) {
        if (!ALL.contains(scope)) {
            throw new IllegalArgumentException("unknown scope " + scope);
        }
        return context -> {
            if (Caller.of(context).has(scope)) {
                context.next();
            } else {
                Problems.send(context, 403, "insufficient-scope", "Forbidden",
                        "This key lacks the scope " + scope + ".");
            }
        };
    }
}
