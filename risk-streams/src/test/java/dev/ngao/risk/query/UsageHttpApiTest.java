package dev.ngao.risk.query;

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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge of the usage API: what it refuses before any store is asked, and what it says before streams run. */
class UsageHttpApiTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        UsageHttpApi api = new UsageHttpApi(vertx, Optional::empty,
                new RuleSetCatalog(DefaultRuleSet.of("limits-v1", Map.of("KES", 100L), Map.of("KES", 1_000L)),
                        new RuleSetCompiler()::compile), Clock.systemUTC());
        server = vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        api.serveAs(new HostInfo("127.0.0.1", server.actualPort()));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
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
}
