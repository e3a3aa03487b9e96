package dev.ngao.ingest.auth;

import dev.ngao.platform.http.Problems;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Authenticates a request by its API key id and bearer secret, until signed requests replace it. Every
 * failure (no header, unknown key, wrong secret) gets the same 401 so keys cannot be enumerated, and an
 * unknown key id still costs one digest comparison so timing does not tell them apart either. On success
 * the key and its merchant are put into the routing context for the handlers after it.
 */
public final class ApiKeyAuthenticator implements Handler<RoutingContext> {

    public static final String KEY_ID_HEADER = "X-Ngao-Key-Id";
    public static final String AUTHORIZATION_HEADER = "Authorization";
    /** Routing-context entry holding the authenticated {@link ApiKey}. */
    public static final String API_KEY = "ngao.apiKey";

    private static final String BEARER_PREFIX = "Bearer ";
    /** Compared against when the key id is unknown, so that path does the same work as a wrong secret. */
    private static final ApiKey DECOY = new ApiKey("decoy", "decoy", "decoy-secret-never-matches-anything");

    private final Map<String, ApiKey> keysById;

    public ApiKeyAuthenticator(Collection<ApiKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        this.keysById = keys.stream().collect(Collectors.toUnmodifiableMap(ApiKey::keyId, Function.identity()));
    }

    /** The authenticated key of the caller, or empty for any failure. Header values may be null. */
    public Optional<ApiKey> authenticate(String keyIdHeader, String authorizationHeader) {
        if (keyIdHeader == null || authorizationHeader == null
                || !authorizationHeader.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return Optional.empty();
        }
        String presentedSecret = authorizationHeader.substring(BEARER_PREFIX.length()).trim();
        ApiKey key = keysById.get(keyIdHeader.trim());
        boolean secretMatches = (key == null ? DECOY : key).matches(presentedSecret);
        return key != null && secretMatches ? Optional.of(key) : Optional.empty();
    }

    /** The key {@link #handle} put into {@code context}; only valid on routes behind this handler. */
    public static ApiKey authenticatedKey(RoutingContext context) {
        ApiKey key = context.get(API_KEY);
        if (key == null) {
            throw new IllegalStateException("route is not behind the API key authenticator");
        }
        return key;
    }

    @Override
    public void handle(RoutingContext context) {
        Optional<ApiKey> key = authenticate(context.request().getHeader(KEY_ID_HEADER),
                context.request().getHeader(AUTHORIZATION_HEADER));
        if (key.isEmpty()) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"ngao\"");
            Problems.send(context, 401, "unauthorized", "Unauthorized",
                    "Send a valid " + KEY_ID_HEADER + " header and Authorization: Bearer <secret>.");
            return;
        }
        context.put(API_KEY, key.get());
        // Configured keys carry the payment scopes only, until keys with their own scopes arrive.
        new Caller(key.get().keyId(), key.get().merchantId(), Set.of(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ))
                .attachTo(context);
        context.next();
    }
}
