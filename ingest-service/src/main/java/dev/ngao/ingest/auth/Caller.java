package dev.ngao.ingest.auth;

import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who made an authenticated request: the key, the merchant it acts for and what it may do. Put in the
 * routing context by the authentication guard; every handler behind it reads it from there.
 */
public record Caller(String keyId, String merchantId, Set<String> scopes) {

    private static final String CONTEXT_KEY = "ngao.caller";

    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(merchantId, "merchantId");
        scopes = Set.copyOf(scopes);
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    public void attachTo(RoutingContext context) {
        context.put(CONTEXT_KEY, this);
    }

    /** The caller of an authenticated request; fails loudly if a route was mounted without the guard. */
    public static Caller of(RoutingContext context) {
        Caller caller = context.get(CONTEXT_KEY);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: route mounted outside the /v1 guards");
        }
        return caller;
    }

    /** The caller when the request got past authentication, empty otherwise: for code that sees every request (audit). */
    public static Optional<Caller> find(RoutingContext context) {
        return Optional.ofNullable(context.get(CONTEXT_KEY));
    }
}
