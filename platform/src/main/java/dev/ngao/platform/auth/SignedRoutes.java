package dev.ngao.platform.auth;

import dev.ngao.platform.kafka.KafkaContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Signed, scoped routes for a service's API: one {@link SignedRequestGuard} over the keys of
 * {@code ingest.api-keys} (the same keys, signing scheme and refusals as the ingest door), and
 * {@link #get} and {@link #route} to put it, with a scope check, in front of a route. Only health and metrics stay open.
 * The guard here never asks for client certificates: mutual TLS is a door (ingest) setting.
 */
public final class SignedRoutes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignedRoutes.class);
    /** Bodies of guarded read routes are empty; this bounds what is buffered to hash one anyway. */
    public static final long READ_BODY_LIMIT_BYTES = 4_096;

    private final SignedRequestGuard guard;
    private final AutoCloseable keyStore;

    public SignedRoutes(SignedRequestGuard guard, AutoCloseable keyStore) {
        this.guard = guard;
        this.keyStore = keyStore;
    }

    /**
     * Reads the key topic to its end (so no request is judged against a partial key set), follows it, and
     * builds the guard from {@code settings}.
     *
     * @param clientId names this service's key-store consumer
     */
    public static SignedRoutes start(KafkaContext kafka, SignedRequestSettings settings, String clientId)
            throws TimeoutException {
        KafkaKeyStore keys = new KafkaKeyStore(kafka, new SecretCipher(settings.masterKey(), new SecureRandom()),
                clientId).start();
        return new SignedRoutes(guard(keys, settings, Clock.systemUTC()), keys);
    }

    /** The guard over {@code keys}, without mutual TLS; tests use it with a key store in memory. */
    public static SignedRequestGuard guard(KeyStore keys, SignedRequestSettings settings, Clock clock) {
        return guard(keys, settings.environment(), settings.timestampToleranceSeconds(),
                settings.nonceCacheMaxEntries(), settings.trustedProxies(), clock);
    }

    public static SignedRequestGuard guard(KeyStore keys, Environment environment, long toleranceSeconds,
                                           int nonceCacheMaxEntries, List<CidrBlock> trustedProxies, Clock clock) {
        return new SignedRequestGuard(keys, environment, toleranceSeconds, new NonceCache(nonceCacheMaxEntries),
                new ClientAddressResolver(trustedProxies), false, clock);
    }

    /** The guard, for a route that streams its body instead of buffering it (see {@link SignedRequestGuard#verify(io.vertx.ext.web.RoutingContext, String)}). */
    public SignedRequestGuard guard() {
        return guard;
    }

    /** A signed read route: {@code GET path} with an empty (bounded) body, for a key with one of {@code anyOfScopes}. */
    public Route get(Router router, String path, String... anyOfScopes) {
        return route(router, HttpMethod.GET, path, READ_BODY_LIMIT_BYTES, anyOfScopes);
    }

    /**
     * A signed route, to which the caller adds its own handler: first the signature headers and timestamp
     * (before any body is read), then the body buffered up to {@code bodyLimitBytes} (its hash is signed),
     * then the signature, address and nonce, then the scope. A refused request never reaches the handler.
     * Three routes on the same method and path, in this order, because Vert.x runs a body handler only
     * first on its route.
     */
    public Route route(Router router, HttpMethod method, String path, long bodyLimitBytes, String... anyOfScopes) {
        router.route(method, path).handler(guard.headersHandler());
        router.route(method, path).handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes));
        return router.route(method, path).handler(guard.verifyHandler()).handler(Scopes.requireAny(anyOfScopes));
    }

    /** Stops following the key topic; a failure to close is logged, never thrown (services close on the way out). */
    @Override
    public void close() {
        try {
            keyStore.close();
        } catch (Exception e) {
            LOG.warn("Closing the key store failed: {}", e.toString());
        }
    }
}
