package dev.ngao.platform.auth;

import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Authenticates signed requests ({@link RequestSigning}) in two steps around the body buffer:
 * {@link #checkHeaders} refuses before any body is read when the four headers are missing, malformed or
 * the timestamp is outside the tolerance (both ways: stale and future); {@link #verify}, once the body is
 * buffered, checks the signature against the key's active secrets, then the key's environment, the
 * client address against the key's allowlist, the client certificate (mutual TLS) and the nonce, and
 * puts the {@link Caller} into the context.
 */
public final class SignedRequestGuard {

    /** Context entry: the resolved client address (text), set for every guarded request, refused or not. */
    public static final String CLIENT_ADDRESS = "ngao.clientAddress";
    /** Context entry: the {@link AuthRefusal} of a refused request, for audit. */
    public static final String REFUSAL = "ngao.authRefusal";

    private static final Logger LOG = LoggerFactory.getLogger(SignedRequestGuard.class);
    private static final String TIMESTAMP_SECONDS = "ngao.auth.timestampSeconds";
    /** Verified against when the key is unknown or has no active secret, so that path costs the same. */
    private static final byte[] DECOY_SECRET = "ngao-decoy-secret-that-signs-nothing-0000".getBytes(StandardCharsets.UTF_8);

    private final KeyStore keys;
    private final Environment doorEnvironment;
    private final long toleranceSeconds;
    private final NonceCache nonces;
    private final ClientAddressResolver addresses;
    private final boolean mutualTls;
    private final Clock clock;
    /** Whether the full nonce cache was already reported, so a flood of refusals logs one line, not one each. */
    private final AtomicBoolean fullReported = new AtomicBoolean();

    /**
     * @param doorEnvironment  the environment this door serves; keys of the other one are refused
     * @param toleranceSeconds how far a request's timestamp may be from this server's clock, either way
     * @param mutualTls        whether the listener requires client certificates, which must then be bound to the key
     */
    public SignedRequestGuard(KeyStore keys, Environment doorEnvironment, long toleranceSeconds, NonceCache nonces,
                              ClientAddressResolver addresses, boolean mutualTls, Clock clock) {
        this.keys = keys;
        this.doorEnvironment = doorEnvironment;
        this.toleranceSeconds = toleranceSeconds;
        this.nonces = nonces;
        this.addresses = addresses;
        this.mutualTls = mutualTls;
        this.clock = clock;
    }

    /** The resolved client address of a /v1 request, once {@link #checkHeaders} ran. */
    public static Optional<String> clientAddress(RoutingContext context) {
        return Optional.ofNullable(context.get(CLIENT_ADDRESS));
    }

    /** Before the body: headers present and well formed, timestamp within the tolerance. */
    public void checkHeaders(RoutingContext context) {
        HttpServerRequest request = context.request();
        SocketAddress peer = request.connection().remoteAddress(true);
        Optional<String> client = addresses.resolve(peer == null ? null : peer.hostAddress(),
                request.headers().getAll(ClientAddressResolver.FORWARDED_FOR_HEADER));
        // The audit (where a service keeps one) names the client the allowlist judged, not the proxy in front of it.
        client.ifPresent(address -> context.put(CLIENT_ADDRESS, address));
        String keyId = request.getHeader(RequestSigning.KEY_ID_HEADER);
        long timestamp = RequestSigning.parseTimestamp(request.getHeader(RequestSigning.TIMESTAMP_HEADER));
        if (client.isEmpty() || keyId == null || !ApiKey.IDENTIFIER.matcher(keyId).matches() || timestamp < 0
                || !RequestSigning.isValidNonce(request.getHeader(RequestSigning.NONCE_HEADER))
                || RequestSigning.presentedSignatures(request.getHeader(RequestSigning.SIGNATURE_HEADER)).isEmpty()) {
            refuse(context, AuthRefusal.MISSING_SIGNATURE);
            return;
        }
        if (Math.abs(clock.instant().getEpochSecond() - timestamp) > toleranceSeconds) {
            refuse(context, AuthRefusal.TIMESTAMP_OUT_OF_TOLERANCE);
            return;
        }
        context.put(TIMESTAMP_SECONDS, timestamp);
        context.next();
    }

    /** After the body: signature, environment, address, certificate, nonce; then the caller is known. */
    public void verify(RoutingContext context) {
        Buffer body = context.body().buffer();
        verify(context, RequestSigning.bodySha256Hex(body == null ? null : body.getBytes()));
    }

    /**
     * {@link #verify(RoutingContext)} for a body that was not buffered but streamed elsewhere (a large upload)
     * while its SHA-256 was computed: {@code bodySha256Hex} is that hash in lower-case hex.
     */
    public void verify(RoutingContext context, String bodySha256Hex) {
        HttpServerRequest request = context.request();
        Long timestamp = context.get(TIMESTAMP_SECONDS);
        if (timestamp == null) {
            throw new IllegalStateException("verify runs only behind checkHeaders");
        }
        String keyId = request.getHeader(RequestSigning.KEY_ID_HEADER);
        String nonce = request.getHeader(RequestSigning.NONCE_HEADER);
        Optional<ApiKey> key = keys.find(keyId);
        if (!signatureMatches(request, key, timestamp, nonce, bodySha256Hex)) {
            refuse(context, AuthRefusal.INVALID_SIGNATURE);
            return;
        }
        ApiKey verified = key.orElseThrow();
        String clientAddress = context.get(CLIENT_ADDRESS);
        if (verified.environment() != doorEnvironment) {
            refuse(context, AuthRefusal.WRONG_ENVIRONMENT);
        } else if (!verified.allowsAddress(clientAddress)) {
            refuse(context, AuthRefusal.ADDRESS_NOT_ALLOWED);
        } else if (mutualTls && !certificateBoundTo(request, verified)) {
            refuse(context, AuthRefusal.CERTIFICATE_MISMATCH);
        } else {
            claimNonce(context, verified, clientAddress, nonce, timestamp);
        }
    }

    private void claimNonce(RoutingContext context, ApiKey key, String clientAddress, String nonce, long timestamp) {
        NonceCache.Claim claim = nonces.claim(key.keyId(), nonce, timestamp + toleranceSeconds,
                clock.instant().getEpochSecond());
        if (claim == NonceCache.Claim.REPLAYED) {
            refuse(context, AuthRefusal.REPLAYED_NONCE);
        } else if (claim == NonceCache.Claim.FULL) {
            if (fullReported.compareAndSet(false, true)) {
                LOG.warn("Nonce cache full ({} nonces within the window); refusing signed requests until some expire",
                        nonces.size());
            }
            context.response().putHeader("Retry-After", "1");
            refuse(context, AuthRefusal.NONCE_CACHE_FULL);
        } else {
            if (fullReported.compareAndSet(true, false)) {
                LOG.info("Nonce cache has room again; signed requests are accepted");
            }
            new Caller(key.keyId(), key.merchantId(), key.scopes(), key.environment(), clientAddress).attachTo(context);
            context.next();
        }
    }

    /**
     * Whether one presented signature is the HMAC under one active secret. Every active secret is tried
     * (no early exit), and an unknown key or a key without an active secret is checked against a decoy
     * secret, so the time taken does not tell an unknown key from a wrong signature.
     */
    private boolean signatureMatches(HttpServerRequest request, Optional<ApiKey> key, long timestamp, String nonce,
                                     String bodySha256Hex) {
        String canonical = RequestSigning.canonicalString(request.method().name(), pathAndQuery(request),
                Long.toString(timestamp), nonce, bodySha256Hex);
        List<byte[]> presented = RequestSigning.presentedSignatures(request.getHeader(RequestSigning.SIGNATURE_HEADER));
        List<KeySecret> secrets = key.map(found -> found.activeSecrets(clock.instant())).orElse(List.of());
        if (secrets.isEmpty()) {
            RequestSigning.matchesAny(DECOY_SECRET, canonical, presented);
            return false;
        }
        boolean matched = false;
        for (KeySecret secret : secrets) {
            matched |= RequestSigning.matchesAny(secret.value(), canonical, presented);
        }
        return matched;
    }

    /** The request target as the client sent it: raw path and raw query, never decoded. */
    private static String pathAndQuery(HttpServerRequest request) {
        String query = request.query();
        return query == null ? request.path() : request.path() + "?" + query;
    }

    private static boolean certificateBoundTo(HttpServerRequest request, ApiKey key) {
        List<Certificate> chain;
        try {
            chain = request.connection().isSsl() ? request.connection().peerCertificates() : List.of();
        } catch (SSLPeerUnverifiedException e) {
            chain = List.of();
        }
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate certificate)) {
            return false;
        }
        Set<String> bindings = ClientCertificates.bindingsOf(certificate);
        return !Collections.disjoint(bindings, key.clientCertificates());
    }

    private static void refuse(RoutingContext context, AuthRefusal refusal) {
        context.put(REFUSAL, refusal);
        Problems.send(context, refusal.status(), refusal.type(), refusal.title(), refusal.detail());
    }

    /** The two steps as handlers, in order, for the route table. */
    public Handler<RoutingContext> headersHandler() {
        return this::checkHeaders;
    }

    public Handler<RoutingContext> verifyHandler() {
        return this::verify;
    }
}
