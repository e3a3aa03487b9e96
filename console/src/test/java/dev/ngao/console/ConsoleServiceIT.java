package dev.ngao.console;

import dev.ngao.events.BreakKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderHealth;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console on a real KRaft broker with a stub ingest that verifies signatures: sign-in with a key, the
 * review queue and a resolution sent signed with that key, the other views, and what is refused.
 */
class ConsoleServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SCOPE = "console-it-" + UUID.randomUUID();
    private static final String SECRET = "analyst-secret-0123456789abcdef";

    private static KafkaTestCluster cluster;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String merchantId = "merchant-" + run;
    private KafkaContext kafka;
    private StubIngest ingest;
    private ConsoleService console;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @BeforeEach
    void start() throws Exception {
        kafka = KafkaContext.connect(cluster.settings(SCOPE));
        ingest = new StubIngest();
        ingest.key("analyst-" + run, SECRET, merchantId, Set.of("reviews:resolve", "reports:read", "payments:read"));
        ingest.key("reader-" + run, SECRET, merchantId, Set.of("reports:read"));
        ingest.key("reviewer-" + run, SECRET, merchantId, Set.of("reviews:resolve"));
        ingest.key("payments-" + run, SECRET, merchantId, Set.of("payments:write"));
        Map<String, String> environment = new HashMap<>(cluster.environment(SCOPE));
        environment.put("NGAO_CONSOLE_HTTP_PORT", "0");
        environment.put("NGAO_CONSOLE_INGEST_URL", ingest.url());
        console = new ConsoleService(ConsoleConfig.fromEnvironment(environment), kafka);
        console.start();
    }

    @AfterEach
    void stop() throws Exception {
        console.close();
        ingest.close();
        kafka.close();
    }

    @Test
    void shouldQueueReviewsAndSendTheAnalystsSignedResolutionToIngestWhenSignedIn() throws Exception {
        // Given two transactions in review, one approved, a break of a day and a provider down
        String first = transaction(1);
        String second = transaction(2);
        RiskDecision firstReview = Events.decision(first, merchantId, Outcome.REVIEW,
                Events.reason("large-off-hours", Outcome.REVIEW, "large amount at night in America/Lima"));
        produce(Topics.RISK_DECISIONS, first, firstReview);
        produce(Topics.RISK_DECISIONS, second, Events.decision(second, merchantId, Outcome.REVIEW));
        produce(Topics.RISK_DECISIONS, transaction(3), Events.decision(transaction(3), merchantId, Outcome.APPROVE));
        String day = "2031-01-" + (10 + (int) (Math.random() * 18));
        produce(Topics.RECON_BREAKS, first, Events.reconciliationBreak("brk-" + run, BreakKind.AMOUNT_MISMATCH,
                first, day));
        String provider = "hub-" + run;
        produce(Topics.PROVIDER_HEALTH, provider, Events.health(provider, ProviderHealth.DOWN, Instant.now()));

        // When an analyst signs in with a key that may resolve reviews and read reports
        Session session = signIn("analyst-" + run);

        // Then the queue shows both reviews, oldest first, with their rules
        JsonArray reviews = await().atMost(PATIENCE).until(() -> get(session, "/api/reviews").getJsonArray("reviews"),
                queue -> queue.size() == 2);
        assertThat(reviews.getJsonObject(0).getString("transactionId")).isEqualTo(first);
        JsonObject rule = reviews.getJsonObject(0).getJsonArray("reasons").getJsonObject(0);
        assertThat(rule.getString("ruleId")).isEqualTo("large-off-hours");
        assertThat(rule.getString("ruleSetVersion")).isEqualTo("2026-11-22.1");
        assertThat(reviews.getJsonObject(0).getJsonObject("amount").getString("text")).isEqualTo("15000.50");

        // And a change without the session's CSRF token, or without an idempotency key, is refused
        assertThat(post(session, "/api/reviews/" + first + "/resolution", "{\"outcome\":\"APPROVE\"}", false,
                "idem-" + run).statusCode()).isEqualTo(403);
        assertThat(post(session, "/api/reviews/" + first + "/resolution", "{\"outcome\":\"APPROVE\"}", true, null)
                .statusCode()).isEqualTo(400);
        assertThat(post(session, "/api/reviews/" + first + "/resolution", "{\"outcome\":\"MAYBE\"}", true,
                "idem-" + run).statusCode()).isEqualTo(422);
        assertThat(ingest.resolutions()).isEmpty();

        // When the analyst approves the first with a note
        HttpResponse<String> approved = post(session, "/api/reviews/" + first + "/resolution",
                "{\"outcome\":\"APPROVE\",\"note\":\" customer confirmed by phone \"}", true, "idem-" + run);

        // Then ingest got it signed with the analyst's own key, with the idempotency key passed on
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);
        assertThat(ingest.resolutions()).singleElement().satisfies(sent -> {
            assertThat(sent.keyId()).isEqualTo("analyst-" + run);
            assertThat(sent.transactionId()).isEqualTo(first);
            assertThat(sent.idempotencyKey()).isEqualTo("idem-" + run);
            assertThat(sent.body().getMap()).containsEntry("outcome", "APPROVE")
                    .containsEntry("note", "customer confirmed by phone");
        });
        // And the review stays in the queue marked as sent until the final decision comes
        JsonObject marked = get(session, "/api/reviews").getJsonArray("reviews").getJsonObject(0);
        assertThat(marked.getJsonObject("sentResolution").getString("outcome")).isEqualTo("APPROVE");
        // And ingest's refusal of a second resolution reaches the analyst as it is
        HttpResponse<String> again = post(session, "/api/reviews/" + first + "/resolution",
                "{\"outcome\":\"DECLINE\"}", true, "idem2-" + run);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(again.body()).getString("type")).endsWith("/not-in-review");

        // When risk-streams writes the final decision of the resolution
        produce(Topics.RISK_DECISIONS, first, Events.resolution(firstReview, Outcome.APPROVE, "rev_1"));

        // Then the queue holds only the second, and the decisions view shows the resolution newest first
        await().atMost(PATIENCE).until(() -> get(session, "/api/reviews").getJsonArray("reviews").size() == 1);
        JsonArray decisions = get(session, "/api/decisions?transaction=" + first).getJsonArray("decisions");
        assertThat(decisions.stream().map(each -> ((JsonObject) each).getString("kind")).toList())
                .containsExactly("REVIEW_RESOLUTION", "INITIAL");
        assertThat(get(session, "/api/decisions?outcome=APPROVE").getJsonArray("decisions").size()).isEqualTo(2);

        // And the breaks of the day and the provider's health are there
        JsonObject breaks = get(session, "/api/breaks?day=" + day);
        assertThat(breaks.getJsonArray("breaks").getJsonObject(0).getString("kind")).isEqualTo("AMOUNT_MISMATCH");
        assertThat(breaks.getJsonArray("days").stream().map(each -> ((JsonObject) each).getString("day")))
                .contains(day);
        JsonArray providers = get(session, "/api/providers").getJsonArray("providers");
        assertThat(providers.stream().map(each -> (JsonObject) each)
                .filter(each -> each.getString("provider").equals(provider)).findFirst().orElseThrow()
                .getString("status")).isEqualTo("DOWN");
        assertThat(console.caughtUp()).isTrue();
    }

    @Test
    void shouldRefuseWrongKeysMissingSessionsAndActionsBeyondTheKeysScopes() throws Exception {
        String review = transaction(7);
        produce(Topics.RISK_DECISIONS, review, Events.decision(review, merchantId, Outcome.REVIEW));

        // A wrong secret, an unknown key and a key the console has nothing for are refused at sign-in
        assertThat(signInAnswer("analyst-" + run, "not-the-secret").statusCode()).isEqualTo(401);
        assertThat(signInAnswer("nobody-" + run, SECRET).statusCode()).isEqualTo(401);
        assertThat(signInAnswer("payments-" + run, SECRET).statusCode()).isEqualTo(403);
        assertThat(signInAnswer("analyst-" + run, "").statusCode()).isEqualTo(400);
        // No session, no view
        HttpResponse<String> anonymous = http.send(request("/api/reviews").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        // A reader sees the queue and the reports but cannot resolve: nothing reaches ingest
        Session reader = signIn("reader-" + run);
        await().atMost(PATIENCE).until(() -> get(reader, "/api/reviews").getJsonArray("reviews").size() == 1);
        assertThat(get(reader, "/api/reviews").getBoolean("canResolve")).isFalse();
        assertThat(post(reader, "/api/reviews/" + review + "/resolution", "{\"outcome\":\"DECLINE\"}", true,
                "idem-" + run).statusCode()).isEqualTo(403);
        assertThat(ingest.resolutions()).isEmpty();

        // A reviewer resolves but does not read breaks or provider health
        Session reviewer = signIn("reviewer-" + run);
        assertThat(getAnswer(reviewer, "/api/breaks").statusCode()).isEqualTo(403);
        assertThat(getAnswer(reviewer, "/api/providers").statusCode()).isEqualTo(403);
        // and cannot resolve a transaction that is not in this merchant's queue
        assertThat(post(reviewer, "/api/reviews/" + transaction(8) + "/resolution", "{\"outcome\":\"DECLINE\"}", true,
                "idem-" + run).statusCode()).isEqualTo(404);

        // Signing out ends the session
        assertThat(http.send(request("/api/session").header("Cookie", reviewer.cookie())
                .header(ConsoleHttpApi.CSRF_HEADER, reviewer.csrfToken()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(getAnswer(reviewer, "/api/reviews").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldServeThePageWithSecurityHeadersHealthAndMetrics() throws Exception {
        HttpResponse<String> page = http.send(request("/").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Ngao console</title>");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        HttpResponse<String> script = http.send(request("/console.js").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).doesNotContain("innerHTML");

        await().atMost(PATIENCE).until(console::caughtUp);
        HttpResponse<String> health = http.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(health.body()).getBoolean("caughtUp")).isTrue();
        HttpResponse<String> ready = http.send(request("/health/ready").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);

        signInAnswer("analyst-" + run, "wrong");
        HttpResponse<String> metrics = http.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("ngao_console_sign_ins_total{result=\"refused\",service=\"console\"}")
                .contains("ngao_console_open_reviews");
    }

    @Test
    void shouldAnswer503AtSignInWhenIngestCannotBeReached() throws Exception {
        ingest.close();

        HttpResponse<String> answer = signInAnswer("analyst-" + run, SECRET);

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(answer.body()).getString("type")).endsWith("/ingest-unavailable");
        ingest = new StubIngest();
    }

    private record Session(String cookie, String csrfToken) {
    }

    private Session signIn(String keyId) throws Exception {
        HttpResponse<String> answer = signInAnswer(keyId, SECRET);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
        JsonObject body = new JsonObject(answer.body());
        assertThat(body.getString("merchantId")).isEqualTo(merchantId);
        assertThat(answer.body()).doesNotContain(SECRET);
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), body.getString("csrfToken"));
    }

    private HttpResponse<String> signInAnswer(String keyId, String secret) throws Exception {
        String body = new JsonObject().put("keyId", keyId).put("secret", secret).encode();
        return http.send(request("/api/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject get(Session session, String path) throws Exception {
        HttpResponse<String> answer = getAnswer(session, path);
        assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
        return new JsonObject(answer.body());
    }

    private HttpResponse<String> getAnswer(Session session, String path) throws Exception {
        return http.send(request(path).header("Cookie", session.cookie()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Session session, String path, String body, boolean withCsrf,
                                      String idempotencyKey) throws Exception {
        HttpRequest.Builder request = request(path).header("Cookie", session.cookie())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (withCsrf) {
            request.header(ConsoleHttpApi.CSRF_HEADER, session.csrfToken());
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private String transaction(int index) {
        return "txn_" + run + "0".repeat(23) + index;
    }

    private <V> void produce(Topic<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, V> producer = kafka.producer(topic, "console-it-producer")) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

}
