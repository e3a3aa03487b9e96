package dev.ngao.platform.auth;

import dev.ngao.platform.kafka.KafkaContext;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.handler.BodyHandler;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Signed, scoped routes for a service's API: one {@link SignedRequestGuard} over the keys of
 * {@code ingest.api-keys} (the same keys, signing scheme and refusals as the ingest door), and
 * {@link #protect} to put it, with a scope check, in front of a route. Only health and metrics stay open.
 * The guard here never asks for client certificates: mutual TLS is a door (ingest) setting.
 */
public final class SignedRoutes implements AutoCloseable {

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

    /** A read route: signed, with an empty (bounded) body, and a key holding one of {@code anyOfScopes}. */
    public Route protect(Route route, String... anyOfScopes) {
        return protect(route, READ_BODY_LIMIT_BYTES, anyOfScopes);
    }

    /**
     * Puts in front of the route's own handler: the signature headers and timestamp (before any body is
     * read), the body buffered up to {@code bodyLimitBytes} (its hash is signed), the signature, address and
     * nonce, then the scope. A refused request never reaches the route.
     */
    public Route protect(Route route, long bodyLimitBytes, String... anyOfScopes) {
        return route.handler(guard.headersHandler())
                .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(guard.verifyHandler())
                .handler(Scopes.requireAny(anyOfScopes));
    }

    @Override
    public void close() throws Exception {
        keyStore.close();
    }
}
