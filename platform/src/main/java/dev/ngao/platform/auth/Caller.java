package dev.ngao.platform.auth;

import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who made an authenticated request: the key, the merchant it acts for and what it may do, plus the
 * key's environment and the client address the allowlist judged (for audit). Put in the routing context
 * by the authentication guard; every handler behind it reads it from there.
 *
 * @param environment   the key's environment (always the door's own, or the request was refused)
 * @param clientAddress the client's IP address as resolved from the TCP peer and trusted proxies
 */
public record Caller(String keyId, String merchantId, Set<String> scopes, Environment environment,
                     String clientAddress) {

    private static final String CONTEXT_KEY = "ngao.caller";

    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(clientAddress, "clientAddress");
        scopes = Set.copyOf(scopes);
    }

    /** A caller whose environment and address do not matter (tests, internal callers): sandbox, loopback. */
    public Caller(String keyId, String merchantId, Set<String> scopes) {
        this(keyId, merchantId, scopes, Environment.SANDBOX, "127.0.0.1");
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }

    /**
     * Whether this caller may see data of {@code merchantId}: its own merchant's, or any with
     * {@link Scopes#OPERATOR_READ}. Routes answer data a caller may not see as unknown (404), the same
     * answer as for data that does not exist, so a key learns nothing about other merchants.
     */
    public boolean mayRead(String merchantId) {
        return this.merchantId.equals(merchantId) || has(Scopes.OPERATOR_READ);
    }

    /** Whether this caller reads across merchants ({@link Scopes#OPERATOR_READ}). */
    public boolean isOperator() {
        return has(Scopes.OPERATOR_READ);
    }

    public void attachTo(RoutingContext context) {
        context.put(CONTEXT_KEY, this);
    }

    /** The caller of an authenticated request; fails loudly if a route was mounted without the guard. */
    public static Caller of(RoutingContext context) {
        Caller caller = context.get(CONTEXT_KEY);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: route mounted outside the signed-request guard");
        }
        return caller;
    }

    /** The caller when the request got past authentication, empty otherwise: for code that sees every request (audit). */
    public static Optional<Caller> find(RoutingContext context) {
        return Optional.ofNullable(context.get(CONTEXT_KEY));
    }
}
