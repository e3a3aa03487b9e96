package dev.ngao.risk.query;

import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestSignedRoutes;
import dev.ngao.risk.topology.RuleSetCatalog;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.RuleSetCompiler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge of the usage API: what it refuses before any store is asked, and what it says before streams run. */
class UsageHttpApiTest {

    private final TestSignedRoutes signed = new TestSignedRoutes();
    /** Most tests are about the edge, not access: an operator's key passes it. */
    private final RequestSigner operator = signed.key("operator", "ngao-operations", Scopes.OPERATOR_READ);
    private final RequestSigner acme = signed.key("acme-key", "acme", Scopes.USAGE_READ);
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        UsageHttpApi api = new UsageHttpApi(vertx, Optional::empty,
                new RuleSetCatalog(DefaultRuleSet.of("limits-v1", Map.of("KES", 100L), Map.of("KES", 1_000L)),
                        new RuleSetCompiler()::compile), Duration.ofDays(40), Clock.systemUTC(), signed.routes());
        server = vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        api.serveAs(new HostInfo("127.0.0.1", server.actualPort()));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, operator);
    }

    private HttpResponse<String> get(String path, RequestSigner signer) throws Exception {
        return signed.get(URI.create("http://127.0.0.1:" + server.actualPort() + path), signer);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("https://ngao.dev/problems/" + type);
    }

    @Test
    void shouldRefuseAnUnknownDimension() throws Exception {
        HttpResponse<String> response = get("/v1/usage/planet/earth");
        assertProblem(response, 400, "invalid-dimension");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("account", "msisdn", "email");
    }

    @Test
    void shouldRefuseAKeyWithTheStoreSeparatorOrTooLong() throws Exception {
        assertProblem(get("/v1/usage/account/acct%7Cother"), 400, "invalid-key");
        assertProblem(get("/v1/usage/ip/" + "9".repeat(UsageHttpApi.MAX_KEY_LENGTH + 1)), 400, "invalid-key");
    }

    @Test
    void shouldRefuseATimeThatIsNotAnInstant() throws Exception {
        assertProblem(get("/v1/usage/account/acct-1?at=yesterday"), 400, "invalid-time");
    }

    @Test
    void shouldAskToRetryWhenTheStoresAreNotOpenYet() throws Exception {
        // Given Kafka Streams not started (no client yet)
        // When a valid key is asked for
        HttpResponse<String> response = get("/v1/usage/device/device-hash-1");

        // Then the caller is told to come back, and health says the instance is not up
        assertProblem(response, 503, "store-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(health.body()).getString("streams")).isEqualTo("CREATED");
    }

    @Test
    void shouldAnswerUnknownRoutesWithAProblem() throws Exception {
        assertProblem(get("/v1/usage/account"), 404, "not-found");
    }

    @Test
    void shouldRefuseWith401WhenTheRequestIsUnsigned() throws Exception {
        assertProblem(get("/v1/usage/merchant/acme", null), 401, "missing-signature");
    }

    @Test
    void shouldRefuseWith403WhenTheKeyLacksTheUsageScope() throws Exception {
        RequestSigner paymentsOnly = signed.key("acme-payments", "acme", Scopes.PAYMENTS_READ, Scopes.PAYMENTS_WRITE);

        assertProblem(get("/v1/usage/merchant/acme", paymentsOnly), 403, "insufficient-scope");
    }

    @Test
    void shouldLetAMerchantKeyReadItsOwnMerchantCounters() throws Exception {
        // When acme's key asks for its merchant counters, under its own rule set or none named
        // Then the request passes the guard and reaches the stores (not open in this test)
        assertProblem(get("/v1/usage/merchant/acme", acme), 503, "store-unavailable");
        assertProblem(get("/v1/usage/merchant/acme?merchant=acme", acme), 503, "store-unavailable");
    }

    @Test
    void shouldAnswer404WhenAMerchantKeyAsksForCountersNotItsOwn() throws Exception {
        // Another merchant's counters, its own counters under another merchant's rule set, and counters
        // every merchant shares (accounts, devices, addresses)
        for (String path : List.of("/v1/usage/merchant/globex", "/v1/usage/merchant/acme?merchant=globex",
                "/v1/usage/account/acct-1", "/v1/usage/device/device-hash-1", "/v1/usage/ip/203.0.113.9")) {
            HttpResponse<String> response = get(path, acme);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(new JsonObject(response.body()).getString("type")).as(path)
                    .isEqualTo("https://ngao.dev/problems/unknown-usage");
        }
    }

    @Test
    void shouldLetAnOperatorKeyReadAnyCounters() throws Exception {
        for (String path : List.of("/v1/usage/merchant/globex", "/v1/usage/account/acct-1?merchant=globex")) {
            assertProblem(get(path, operator), 503, "store-unavailable");
        }
    }

    @Test
    void shouldLeaveHealthOpenWhenUnsigned() throws Exception {
        // 503 because streams have not started here; what matters is that no key is asked for
        HttpResponse<String> health = get("/health", null);

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("DOWN");
    }
}
