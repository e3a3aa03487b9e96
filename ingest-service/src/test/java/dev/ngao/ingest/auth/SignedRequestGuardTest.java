package dev.ngao.ingest.auth;

import dev.ngao.platform.auth.InMemoryKeyStore;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.ClientAddressResolver;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.NonceCache;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.ingest.IngestApi;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The signed-request guard over real HTTP, one test per refusal: each would pass a request through if
 * its check were removed. Behind the guard sits a route that echoes the caller and the body it received.
 */
class SignedRequestGuardTest {

    private static final String KEY_A = "key-a";
    private static final String SECRET_A = "nsk_secret-of-key-a-0123456789abcdef";
    private static final String SECRET_A2 = "nsk_second-secret-of-key-a-0123456789";
    private static final String ECHO_PATH = "/v1/echo";
    private static final String BODY = "{\"amount\":\"1500.50\",\"currency\":\"KES\"}";
    private static final long TOLERANCE_SECONDS = 300;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final InMemoryKeyStore keys = new InMemoryKeyStore();
    private Vertx vertx;
    private String baseUrl;
    private int nonceCacheSize = 10_000;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        keys.save(TestKeys.key(KEY_A, "merchant-a", SECRET_A, clock.instant()));
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ---- accepted paths ------------------------------------------------------------------------------

    @Test
    void shouldPassCallerAndExactBodyToRouteWhenSignatureIsValid() throws Exception {
        // Given a sandbox door
        start(Environment.SANDBOX, List.of(), List.of());

        // When key a posts a signed body
        HttpResponse<String> response = send("POST", ECHO_PATH, BODY, signed(KEY_A, List.of(SECRET_A), "POST",
                ECHO_PATH, BODY, now(), nonce()));

        // Then the route behind the guard sees the caller and the very bytes that were signed
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject echo = new JsonObject(response.body());
        assertThat(echo.getString("keyId")).isEqualTo(KEY_A);
        assertThat(echo.getString("merchantId")).isEqualTo("merchant-a");
        assertThat(echo.getString("environment")).isEqualTo("SANDBOX");
        assertThat(echo.getString("clientAddress")).isEqualTo("127.0.0.1");
        assertThat(echo.getString("bodySha256"))
                .isEqualTo(RequestSigning.bodySha256Hex(BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldAcceptSignedGetWithQueryAndNoBody() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        String path = ECHO_PATH + "?from=2026-03-01&limit=10";

        HttpResponse<String> response = send("GET", path, null, signed(KEY_A, List.of(SECRET_A), "GET", path, "",
                now(), nonce()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void shouldAcceptOldAndNewSecretDuringOverlapAndOnlyNewAfterItWhenKeyRotates() throws Exception {
        // Given key a rotated: its first secret expires in an hour, the second in a year
        start(Environment.SANDBOX, List.of(), List.of());
        ApiKey key = keys.find(KEY_A).orElseThrow();
        keys.save(key.withSecrets(List.of(
                TestKeys.secret("s1", SECRET_A, clock.instant(), clock.instant().plus(Duration.ofHours(1))),
                TestKeys.secret("s2", SECRET_A2, clock.instant(), clock.instant().plus(Duration.ofDays(365)))),
                clock.instant()));

        // Then during the overlap either secret signs, and so does a header carrying both signatures
        assertThat(postSignedWith(List.of(SECRET_A)).statusCode()).isEqualTo(200);
        assertThat(postSignedWith(List.of(SECRET_A2)).statusCode()).isEqualTo(200);
        assertThat(postSignedWith(List.of(SECRET_A, SECRET_A2)).statusCode()).isEqualTo(200);

        // When the overlap is over
        clock.advance(Duration.ofHours(1).plusSeconds(1));

        // Then the old secret is refused and the new one still signs
        assertProblem(postSignedWith(List.of(SECRET_A)), 401, "invalid-signature");
        assertThat(postSignedWith(List.of(SECRET_A2)).statusCode()).isEqualTo(200);
    }

    // ---- refusals before the body ----------------------------------------------------------------------

    @Test
    void shouldRefuseUnsignedRequestWith401() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());

        HttpResponse<String> response = send("POST", ECHO_PATH, BODY, Map.of("Content-Type", "application/json"));

        assertProblem(response, 401, "missing-signature");
    }

    @Test
    void shouldRefuseWhenAnyOfTheFourHeadersIsMissingOrMalformed() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        Map<String, String> valid = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());

        for (String header : List.of(RequestSigning.KEY_ID_HEADER, RequestSigning.TIMESTAMP_HEADER,
                RequestSigning.NONCE_HEADER, RequestSigning.SIGNATURE_HEADER)) {
            Map<String, String> without = new LinkedHashMap<>(valid);
            without.remove(header);
            assertProblem(send("POST", ECHO_PATH, BODY, without), 401, "missing-signature");
        }
        Map<String, String> shortNonce = new LinkedHashMap<>(valid);
        shortNonce.put(RequestSigning.NONCE_HEADER, "tooshort");
        assertProblem(send("POST", ECHO_PATH, BODY, shortNonce), 401, "missing-signature");
        Map<String, String> millisTimestamp = new LinkedHashMap<>(valid);
        millisTimestamp.put(RequestSigning.TIMESTAMP_HEADER, "x" + now());
        assertProblem(send("POST", ECHO_PATH, BODY, millisTimestamp), 401, "missing-signature");
    }

    @Test
    void shouldRefuseStaleTimestamp() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        long stale = now() - TOLERANCE_SECONDS - 1;

        HttpResponse<String> response = send("POST", ECHO_PATH, BODY,
                signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, stale, nonce()));

        assertProblem(response, 401, "timestamp-out-of-tolerance");
    }

    @Test
    void shouldRefuseFutureTimestamp() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        long future = now() + TOLERANCE_SECONDS + 1;

        HttpResponse<String> response = send("POST", ECHO_PATH, BODY,
                signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, future, nonce()));

        assertProblem(response, 401, "timestamp-out-of-tolerance");
    }

    @Test
    void shouldAcceptTimestampsAtTheEdgeOfTheTolerance() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());

        for (long timestamp : List.of(now() - TOLERANCE_SECONDS, now() + TOLERANCE_SECONDS)) {
            HttpResponse<String> response = send("POST", ECHO_PATH, BODY,
                    signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, timestamp, nonce()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    // ---- refusals of the signature -----------------------------------------------------------------------

    @Test
    void shouldRefuseBadSignature() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        Map<String, String> headers = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());
        headers.put(RequestSigning.SIGNATURE_HEADER, "v1=" + "0".repeat(64));

        assertProblem(send("POST", ECHO_PATH, BODY, headers), 401, "invalid-signature");
    }

    @Test
    void shouldRefuseWhenBodyPathOrMethodDifferFromWhatWasSigned() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        Map<String, String> headers = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());

        assertProblem(send("POST", ECHO_PATH, BODY.replace("1500.50", "9500.50"), headers), 401, "invalid-signature");
        assertProblem(send("POST", ECHO_PATH + "?x=1", BODY, fresh(headers)), 401, "invalid-signature");
        assertProblem(send("PUT", ECHO_PATH, BODY, fresh(headers)), 401, "invalid-signature");
    }

    @Test
    void shouldRefuseUnknownKeyWithTheSameAnswerAsBadSignature() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        Map<String, String> badSignature = signed(KEY_A, List.of(SECRET_A2), "POST", ECHO_PATH, BODY, now(), nonce());

        HttpResponse<String> unknown = send("POST", ECHO_PATH, BODY,
                signed("key-unknown", List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce()));
        HttpResponse<String> wrong = send("POST", ECHO_PATH, BODY, badSignature);

        assertProblem(unknown, 401, "invalid-signature");
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void shouldRefuseExpiredSecretWithTheSameAnswerAsBadSignature() throws Exception {
        // Given key a whose only secret expired a second ago
        start(Environment.SANDBOX, List.of(), List.of());
        ApiKey key = keys.find(KEY_A).orElseThrow();
        keys.save(key.withSecrets(List.of(TestKeys.secret("s1", SECRET_A, clock.instant().minus(Duration.ofDays(2)),
                clock.instant().minusSeconds(1))), clock.instant()));

        // When a request is signed with it
        HttpResponse<String> response = postSignedWith(List.of(SECRET_A));

        // Then it is refused like any wrong signature
        assertProblem(response, 401, "invalid-signature");
        assertThat(response.body()).isEqualTo(send("POST", ECHO_PATH, BODY, signed("key-unknown", List.of(SECRET_A),
                "POST", ECHO_PATH, BODY, now(), nonce())).body());
    }

    @Test
    void shouldRefuseRevokedKey() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        keys.save(keys.find(KEY_A).orElseThrow().revoked(clock.instant()));

        assertProblem(postSignedWith(List.of(SECRET_A)), 401, "invalid-signature");
    }

    @Test
    void shouldRefuseReplayedNonce() throws Exception {
        // Given a request that was accepted once
        start(Environment.SANDBOX, List.of(), List.of());
        Map<String, String> headers = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());
        assertThat(send("POST", ECHO_PATH, BODY, headers).statusCode()).isEqualTo(200);

        // When the very same request is sent again, even a minute later
        clock.advance(Duration.ofMinutes(1));
        HttpResponse<String> replay = send("POST", ECHO_PATH, BODY, headers);

        // Then it is refused as a replay
        assertProblem(replay, 401, "replayed-request");
    }

    @Test
    void shouldAnswer503WithRetryAfterRatherThanForgetANonceWhenTheCacheIsFull() throws Exception {
        // Given a door that can remember one nonce, already holding one
        nonceCacheSize = 1;
        start(Environment.SANDBOX, List.of(), List.of());
        assertThat(postSignedWith(List.of(SECRET_A)).statusCode()).isEqualTo(200);

        // When another signed request arrives within the window
        HttpResponse<String> response = postSignedWith(List.of(SECRET_A));

        // Then it is turned away for now, not accepted with a nonce that could not be remembered
        assertProblem(response, 503, "unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    // ---- refusals after a valid signature ----------------------------------------------------------------

    @Test
    void shouldRefuseWrongScopeWith403() throws Exception {
        // Given key a that may only read payments
        start(Environment.SANDBOX, List.of(), List.of());
        keys.save(TestKeys.withScopes(keys.find(KEY_A).orElseThrow(), Set.of(Scopes.PAYMENTS_READ)));

        // When it posts to a route that needs payments:write
        HttpResponse<String> response = postSignedWith(List.of(SECRET_A));

        // Then it is forbidden, naming the missing scope; reading still works
        assertProblem(response, 403, "insufficient-scope");
        assertThat(response.body()).contains(Scopes.PAYMENTS_WRITE);
        assertThat(send("GET", ECHO_PATH, null, signed(KEY_A, List.of(SECRET_A), "GET", ECHO_PATH, "", now(),
                nonce())).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseSandboxKeyOnLiveDoor() throws Exception {
        start(Environment.LIVE, List.of(), List.of());

        assertProblem(postSignedWith(List.of(SECRET_A)), 403, "wrong-environment");
    }

    @Test
    void shouldRefuseLiveKeyOnSandboxDoor() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        keys.save(TestKeys.withEnvironment(keys.find(KEY_A).orElseThrow(), Environment.LIVE));

        assertProblem(postSignedWith(List.of(SECRET_A)), 403, "wrong-environment");
    }

    @Test
    void shouldRefuseIpv4AddressOutsideTheKeysAllowlist() throws Exception {
        // Given key a allowed from 10.0.0.0/8 only, and a request from 127.0.0.1
        start(Environment.SANDBOX, List.of(), List.of());
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow(), "10.0.0.0/8"));

        assertProblem(postSignedWith(List.of(SECRET_A)), 403, "address-not-allowed");

        // And allowed once its allowlist names loopback
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow(), "10.0.0.0/8", "127.0.0.0/8"));
        assertThat(postSignedWith(List.of(SECRET_A)).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseKeyWithEmptyAllowlist() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow()));

        assertProblem(postSignedWith(List.of(SECRET_A)), 403, "address-not-allowed");
    }

    @Test
    void shouldRefuseIpv6PeerOutsideTheKeysIpv6Allowlist() throws Exception {
        // Given a door listening on the IPv6 loopback (skipped where the machine has none)
        assumeThat(startOn("::1", Environment.SANDBOX, List.of(), List.of())).as("IPv6 loopback available").isTrue();

        // When key a, allowed from 2001:db8::/32 only, posts from ::1
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow(), "2001:db8::/32", "127.0.0.0/8"));
        HttpResponse<String> refused = postSignedWith(List.of(SECRET_A));

        // Then it is refused; allowed from ::/0 it passes, and the caller's address is ::1
        assertProblem(refused, 403, "address-not-allowed");
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow(), "::/0"));
        HttpResponse<String> accepted = postSignedWith(List.of(SECRET_A));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(new JsonObject(accepted.body()).getString("clientAddress")).isEqualTo("::1");
    }

    @Test
    void shouldIgnoreForwardedForWhenPeerIsNotATrustedProxy() throws Exception {
        // Given no trusted proxy and key a allowed only from 203.0.113.0/24
        start(Environment.SANDBOX, List.of(), List.of());
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow(), "203.0.113.0/24"));

        // When the request claims to come from 203.0.113.7
        Map<String, String> headers = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());
        headers.put("X-Forwarded-For", "203.0.113.7");

        // Then the claim is ignored and the real peer, 127.0.0.1, is refused
        assertProblem(send("POST", ECHO_PATH, BODY, headers), 403, "address-not-allowed");
    }

    @Test
    void shouldHonourForwardedForWhenPeerIsATrustedProxy() throws Exception {
        // Given 127.0.0.1 configured as a trusted proxy and key a allowed only from 203.0.113.0/24
        start(Environment.SANDBOX, List.of(CidrBlock.parse("127.0.0.1/32")), List.of());
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow(), "203.0.113.0/24"));

        // When the proxy forwards a request from 203.0.113.7 (which a client tried to disguise)
        Map<String, String> headers = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());
        headers.put("X-Forwarded-For", "10.9.9.9, 203.0.113.7");
        HttpResponse<String> response = send("POST", ECHO_PATH, BODY, headers);

        // Then the client address is the one the proxy saw, and the key is allowed from it
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("clientAddress")).isEqualTo("203.0.113.7");
    }

    @Test
    void shouldMatchIpv6AllowlistAgainstAddressForwardedByTrustedProxy() throws Exception {
        start(Environment.SANDBOX, List.of(CidrBlock.parse("127.0.0.1/32")), List.of());
        keys.save(TestKeys.withNetworks(keys.find(KEY_A).orElseThrow(), "2001:db8:1::/48"));

        Map<String, String> inside = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());
        inside.put("X-Forwarded-For", "2001:db8:1::42");
        Map<String, String> outside = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());
        outside.put("X-Forwarded-For", "2001:db8:2::42");

        assertThat(send("POST", ECHO_PATH, BODY, inside).statusCode()).isEqualTo(200);
        assertProblem(send("POST", ECHO_PATH, BODY, outside), 403, "address-not-allowed");
    }

    // ---- rate limit, media type and body size ------------------------------------------------------------------

    @Test
    void shouldAnswer429WithRetryAfterWhenKeyExceedsRouteLimit() throws Exception {
        // Given a limit of 2 posts a minute on the echo route
        start(Environment.SANDBOX, List.of(), List.of(RateLimitRule.parse("POST " + ECHO_PATH + " 2/1m")));

        // When key a posts three times
        assertThat(postSignedWith(List.of(SECRET_A)).statusCode()).isEqualTo(200);
        assertThat(postSignedWith(List.of(SECRET_A)).statusCode()).isEqualTo(200);
        HttpResponse<String> third = postSignedWith(List.of(SECRET_A));

        // Then the third is refused with a Retry-After of about the refill time of one token (30 s)
        assertProblem(third, 429, "rate-limited");
        long retryAfter = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 30L);

        // And another key and another route keep their own budgets
        keys.save(TestKeys.key("key-b", "merchant-b", SECRET_A2, clock.instant()));
        assertThat(send("POST", ECHO_PATH, BODY, signed("key-b", List.of(SECRET_A2), "POST", ECHO_PATH, BODY, now(),
                nonce())).statusCode()).isEqualTo(200);
        assertThat(send("GET", ECHO_PATH, null, signed(KEY_A, List.of(SECRET_A), "GET", ECHO_PATH, "", now(),
                nonce())).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldLimitCardIssuanceToFivePerMinuteByDefault() throws Exception {
        // Given the default rules and a key allowed to issue cards
        start(Environment.SANDBOX, List.of(), AuthSettings.DEFAULT_RATE_LIMITS.stream().map(RateLimitRule::parse).toList());
        keys.save(TestKeys.withScopes(keys.find(KEY_A).orElseThrow(), Set.of(Scopes.CARDS_ISSUE)));

        // When it asks for six cards in a row
        int[] statuses = new int[6];
        for (int attempt = 0; attempt < 6; attempt++) {
            statuses[attempt] = send("POST", "/v1/cards", BODY, signed(KEY_A, List.of(SECRET_A), "POST", "/v1/cards",
                    BODY, now(), nonce())).statusCode();
        }

        // Then five reach the route (here none is mounted: 404) and the sixth is rate limited
        assertThat(statuses).containsExactly(404, 404, 404, 404, 404, 429);
    }

    @Test
    void shouldRefuseNonJsonBodyWith415BeforeReadingItButOnlyOnceSigned() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        Map<String, String> headers = signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, BODY, now(), nonce());
        headers.put("Content-Type", "text/plain");

        assertProblem(send("POST", ECHO_PATH, BODY, headers), 415, "unsupported-media-type");
        assertProblem(send("POST", ECHO_PATH, BODY, Map.of("Content-Type", "text/plain")), 401, "missing-signature");
    }

    @Test
    void shouldRefuseOversizedBodyWith413() throws Exception {
        start(Environment.SANDBOX, List.of(), List.of());
        String large = "{\"x\":\"" + "y".repeat(5_000) + "\"}";

        HttpResponse<String> response = send("POST", ECHO_PATH, large,
                signed(KEY_A, List.of(SECRET_A), "POST", ECHO_PATH, large, now(), nonce()));

        assertProblem(response, 413, "payload-too-large");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private void start(Environment door, List<CidrBlock> trustedProxies, List<RateLimitRule> limits) throws Exception {
        assertThat(startOn("127.0.0.1", door, trustedProxies, limits)).isTrue();
    }

    private boolean startOn(String host, Environment door, List<CidrBlock> trustedProxies, List<RateLimitRule> limits)
            throws Exception {
        SignedRequestGuard guard = new SignedRequestGuard(keys, door, TOLERANCE_SECONDS, new NonceCache(nonceCacheSize),
                new ClientAddressResolver(trustedProxies), false, clock);
        IngestApi api = IngestApi.of(vertx, guard, new RateLimiter(limits), List.of(echoRoutes()), 4_096);
        HttpServer server;
        try {
            server = vertx.createHttpServer().requestHandler(api.router()).listen(0, host)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
        baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.actualPort();
        return true;
    }

    private static RouteGroup echoRoutes() {
        return router -> {
            router.post(ECHO_PATH).handler(Scopes.require(Scopes.PAYMENTS_WRITE)).handler(SignedRequestGuardTest::echo);
            router.get(ECHO_PATH).handler(Scopes.require(Scopes.PAYMENTS_READ)).handler(SignedRequestGuardTest::echo);
        };
    }

    private static void echo(RoutingContext context) {
        Caller caller = Caller.of(context);
        Buffer body = context.body().buffer();
        HttpReplies.replyJson(context, 200, new JsonObject()
                .put("keyId", caller.keyId())
                .put("merchantId", caller.merchantId())
                .put("environment", caller.environment().name())
                .put("clientAddress", caller.clientAddress())
                .put("bodySha256", RequestSigning.bodySha256Hex(body == null ? null : body.getBytes())));
    }

    private HttpResponse<String> postSignedWith(List<String> secrets) throws Exception {
        return send("POST", ECHO_PATH, BODY, signed(KEY_A, secrets, "POST", ECHO_PATH, BODY, now(), nonce()));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private static String nonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** The same headers with a new nonce, so a test of one difference is not refused as a replay. */
    private static Map<String, String> fresh(Map<String, String> headers) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(RequestSigning.NONCE_HEADER, nonce());
        return copy;
    }

    /** Signs as a client would, with the timestamp and nonce a test chooses; JSON content type included. */
    static Map<String, String> signed(String keyId, List<String> secrets, String method, String pathAndQuery,
                                      String body, long timestamp, String nonce) {
        String canonical = RequestSigning.canonicalString(method, pathAndQuery, Long.toString(timestamp), nonce,
                RequestSigning.bodySha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(RequestSigning.KEY_ID_HEADER, keyId);
        headers.put(RequestSigning.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(RequestSigning.NONCE_HEADER, nonce);
        headers.put(RequestSigning.SIGNATURE_HEADER, RequestSigning.signatureHeader(
                secrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList(), canonical));
        return headers;
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).isEqualTo("https://ngao.dev/problems/" + type);
        assertThat(problem.getInteger("status")).isEqualTo(status);
        assertThat(response.body()).doesNotContain(SECRET_A).doesNotContain("Exception");
    }
}
