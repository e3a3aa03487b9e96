package dev.ngao.console;

import dev.ngao.console.account.Accounts;
import dev.ngao.console.account.Base32;
import dev.ngao.console.account.Role;
import dev.ngao.console.account.Totp;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.BreakKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderHealth;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.platform.auth.KeySecret;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
 * The console on a real KRaft broker with a stub ingest that verifies signatures: people invited with
 * {@link UserAdministration}, enrolled and signed in through the API with password and TOTP, the review queue and
 * a resolution sent signed with the account's key, the other views, what is refused, and the audit trail.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConsoleServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SCOPE = "console-it-" + UUID.randomUUID();
    private static final String SECRET = "analyst-secret-0123456789abcdef";
    private static final String PASSWORD = "a long and unusual passphrase";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String merchantId = "merchant-" + run;
    private KafkaContext kafka;
    private StubIngest ingest;
    private ConsoleService console;
    private KafkaKeyStore keys;
    private UserAdministration users;

    @AfterAll
    static void dropRegistryScope() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @BeforeEach
    void start(KafkaTestCluster cluster) throws Exception {
        kafka = KafkaContext.connect(cluster.settings(SCOPE));
        ingest = new StubIngest();
        Map<String, String> environment = new HashMap<>(cluster.environment(SCOPE));
        environment.put("NGAO_CONSOLE_HTTP_PORT", "0");
        environment.put("NGAO_CONSOLE_INGEST_URL", ingest.url());
        environment.put("NGAO_CONSOLE_KEYS_MASTER_KEY", ConsoleConfigTest.MASTER_KEY);
        ConsoleConfig config = ConsoleConfig.fromEnvironment(environment);
        keys = new KafkaKeyStore(kafka, new SecretCipher(config.masterKey(), new SecureRandom()), "console-it-keys").start();
        key("analyst-" + run, Set.of("reviews:resolve", "reports:read", "payments:read"));
        key("reader-" + run, Set.of("reports:read"));
        key("reviewer-" + run, Set.of("reviews:resolve"));
        key("checker-" + run, Set.of("approvals:approve", "payments:read"));
        console = new ConsoleService(config, kafka);
        console.start();
        users = UserAdministration.open(config, kafka, "it-operator");
    }

    @AfterEach
    void stop() throws Exception {
        users.close();
        console.close();
        keys.close();
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

        // When an analyst whose account's key may resolve reviews and read reports enrols and signs in
        Session session = enrolAndSignIn("alice-" + run, "analyst-" + run);

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

        // Then ingest got it signed with the key of the analyst's account, with the idempotency key passed on
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(202);
        assertThat(ingest.resolutions()).singleElement().satisfies(sent -> {
            assertThat(sent.keyId()).isEqualTo("analyst-" + run);
            assertThat(sent.transactionId()).isEqualTo(first);
            assertThat(sent.idempotencyKey()).isEqualTo("idem-" + run);
            assertThat(sent.body().getMap()).containsEntry("outcome", "APPROVE")
                    .containsEntry("note", "customer confirmed by phone");
        });
        // And the audit trail names the person who sent it, beside the key ingest recorded
        await().atMost(PATIENCE).until(() -> ConsoleAudit.of(kafka, "alice-" + run).stream()
                .filter(record -> record.getAction().toString().equals("review.resolution.sent"))
                .anyMatch(record -> record.getDetails().get("transactionId").toString().equals(first)));
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
    void shouldListPendingApprovalsAndSendTheCheckersSignedDecisionToIngest() throws Exception {
        // Given two payouts waiting for approval: one the checker's own key made, one the analyst's key made
        String others = "apv_txn_" + "a".repeat(24) + run;
        String own = "apv_txn_" + "b".repeat(24) + run;
        ingest.pendingApproval(others, merchantId, "analyst-" + run);
        ingest.pendingApproval(own, merchantId, "checker-" + run);

        // When a person whose account's key holds approvals:approve signs in
        Session checker = enrolAndSignIn("carol-" + run, "checker-" + run);

        // Then the session may approve, and both approvals are listed as ingest lists them
        assertThat(get(checker, "/api/session").getBoolean("canApprove")).isTrue();
        JsonObject pending = get(checker, "/api/approvals");
        assertThat(pending.getBoolean("canApprove")).isTrue();
        assertThat(pending.getJsonArray("approvals").stream().map(each -> ((JsonObject) each).getString("approvalId")))
                .containsExactlyInAnyOrder(others, own);

        // When the checker rejects without a reason, approves without the CSRF token, or approves its own key's payout
        HttpResponse<String> noReason = post(checker, "/api/approvals/" + others + "/reject", "{}", true, null);
        HttpResponse<String> noCsrf = post(checker, "/api/approvals/" + others + "/approve", "{}", false, null);
        HttpResponse<String> ownRequest = post(checker, "/api/approvals/" + own + "/approve", "{}", true, null);

        // Then each is refused, the last by ingest, as it is
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(ownRequest.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(ownRequest.body()).getString("type")).endsWith("/approval-by-requester");
        assertThat(ingest.approval(own).status()).isEqualTo("PENDING");

        // When the checker approves the other key's payout
        HttpResponse<String> approved = post(checker, "/api/approvals/" + others + "/approve",
                "{\"reason\":\" beneficiary verified \"}", true, null);

        // Then ingest decided it on the checker's key, and the person is audited beside the key
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(new JsonObject(approved.body()).getString("status")).isEqualTo("APPROVED");
        assertThat(ingest.approval(others).decidedBy()).isEqualTo("checker-" + run);
        assertThat(ingest.approval(others).reason()).isEqualTo("beneficiary verified");
        assertThat(get(checker, "/api/approvals?status=APPROVED").getJsonArray("approvals")).hasSize(1);
        await().atMost(PATIENCE).until(() -> ConsoleAudit.of(kafka, "carol-" + run).stream()
                .anyMatch(record -> record.getAction().toString().equals("approval.approve.sent")
                        && record.getDetails().get("approvalId").toString().equals(others)));

        // And a person whose key cannot approve sees no approvals
        Session reader = enrolAndSignIn("dave-" + run, "reader-" + run);
        assertThat(getAnswer(reader, "/api/approvals").statusCode()).isEqualTo(403);
    }

    @Test
    void shouldRefuseWrongCredentialsMissingSessionsAndActionsBeyondTheAccountsScopes() throws Exception {
        String review = transaction(7);
        produce(Topics.RISK_DECISIONS, review, Events.decision(review, merchantId, Outcome.REVIEW));
        Enrolled alice = enrol("alice-" + run, "analyst-" + run);

        // A wrong password, a wrong code and an unknown username get the same refusal; a missing field is 400
        String code = Totp.code(alice.secret(), Instant.now().plusSeconds(30));
        assertThat(signInAnswer(alice.username(), "not the passphrase", code).statusCode()).isEqualTo(401);
        assertThat(signInAnswer(alice.username(), PASSWORD, "000000").statusCode()).isEqualTo(401);
        assertThat(signInAnswer("nobody-" + run, PASSWORD, code).statusCode()).isEqualTo(401);
        assertThat(signInAnswer(alice.username(), PASSWORD, "").statusCode()).isEqualTo(400);
        // No session, no view
        HttpResponse<String> anonymous = http.send(request("/api/reviews").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(http.send(request("/api/alerts").GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);

        // A reader sees the queue and the reports but cannot resolve: nothing reaches ingest
        Session reader = enrolAndSignIn("rita-" + run, "reader-" + run);
        await().atMost(PATIENCE).until(() -> get(reader, "/api/reviews").getJsonArray("reviews").size() == 1);
        assertThat(get(reader, "/api/reviews").getBoolean("canResolve")).isFalse();
        assertThat(post(reader, "/api/reviews/" + review + "/resolution", "{\"outcome\":\"DECLINE\"}", true,
                "idem-" + run).statusCode()).isEqualTo(403);
        assertThat(ingest.resolutions()).isEmpty();

        // A reviewer resolves but does not read breaks or provider health
        Session reviewer = enrolAndSignIn("remy-" + run, "reviewer-" + run);
        assertThat(getAnswer(reviewer, "/api/breaks").statusCode()).isEqualTo(403);
        assertThat(getAnswer(reviewer, "/api/providers").statusCode()).isEqualTo(403);
        // Every signed-in person sees the alert feed; this console names no Prometheus, and says so
        JsonObject alerts = get(reviewer, "/api/alerts");
        assertThat(alerts.getBoolean("configured")).isFalse();
        assertThat(alerts.getJsonArray("alerts")).isEmpty();
        // and cannot resolve a transaction that is not in this merchant's queue
        assertThat(post(reviewer, "/api/reviews/" + transaction(8) + "/resolution", "{\"outcome\":\"DECLINE\"}", true,
                "idem-" + run).statusCode()).isEqualTo(404);

        // Signing out ends the session
        assertThat(http.send(request("/api/session").header("Cookie", reviewer.cookie())
                .header(ConsoleHttpApi.CSRF_HEADER, reviewer.csrfToken()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(getAnswer(reviewer, "/api/reviews").statusCode()).isEqualTo(401);

        // And once the account's key is revoked, right credentials open nothing
        keys.save(keys.find("analyst-" + run).orElseThrow().revoked(Instant.now()));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(signInAnswer(alice.username(), PASSWORD,
                Totp.code(alice.secret(), Instant.now().plusSeconds(30))).statusCode()).isIn(403, 401));
    }

    @Test
    void shouldLockAnAccountAfterFiveFailuresAndAuditEverySignInEnrolmentAndLockout() throws Exception {
        Enrolled alice = enrol("alice-" + run, "analyst-" + run);
        String code = Totp.code(alice.secret(), Instant.now().plusSeconds(30));

        // When four sign-ins fail and a fifth too
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(signInAnswer(alice.username(), "wrong passphrase " + attempt, code).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> fifth = signInAnswer(alice.username(), "wrong passphrase 5", code);

        // Then the account is locked, for 15 minutes, even to the right password and code
        assertThat(fifth.statusCode()).isEqualTo(429);
        assertThat(new JsonObject(fifth.body()).getString("type")).endsWith("/sign-in-locked");
        assertThat(fifth.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow()).isBetween(850L, 900L);
        assertThat(signInAnswer(alice.username(), PASSWORD, code).statusCode()).isEqualTo(429);

        // And audit.console holds the enrolment, each failure, the lockout and the refused attempt, no secret
        List<AuditRecord> audit = await().atMost(PATIENCE).until(() -> ConsoleAudit.of(kafka, alice.username()),
                records -> records.size() >= 9);
        assertThat(audit).extracting(record -> record.getAction().toString()).containsExactly("account.created",
                "enrolment.completed", "sign-in.failed", "sign-in.failed", "sign-in.failed", "sign-in.failed",
                "sign-in.failed", "account.locked", "sign-in.locked");
        assertThat(audit.get(0).getActor().toString()).isEqualTo("it-operator");
        assertThat(audit.get(2).getDetails()).containsEntry("reason", "password").containsKey("clientAddress");
        assertThat(audit.toString()).doesNotContain(PASSWORD).doesNotContain("wrong passphrase").doesNotContain(code)
                .doesNotContain(Base32.encode(alice.secret()));
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

        signInAnswer("nobody-" + run, PASSWORD, "123456");
        HttpResponse<String> metrics = http.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("ngao_console_sign_ins_total{result=\"refused\",service=\"console\"}")
                .contains("ngao_console_open_reviews");
    }

    @Test
    void shouldAnswer503ToAResolutionWhenIngestCannotBeReached() throws Exception {
        String review = transaction(5);
        produce(Topics.RISK_DECISIONS, review, Events.decision(review, merchantId, Outcome.REVIEW));
        Session session = enrolAndSignIn("alice-" + run, "analyst-" + run);
        await().atMost(PATIENCE).until(() -> get(session, "/api/reviews").getJsonArray("reviews").size() == 1);
        ingest.close();

        HttpResponse<String> answer = post(session, "/api/reviews/" + review + "/resolution",
                "{\"outcome\":\"APPROVE\"}", true, "idem-" + run);

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(answer.body()).getString("type")).endsWith("/ingest-unavailable");
        ingest = new StubIngest();
    }

    private record Session(String cookie, String csrfToken) {
    }

    /** An account enrolled through the API: its username and the secret its authenticator holds. */
    private record Enrolled(String username, byte[] secret) {
    }

    /** Invites {@code username} with {@code keyId}, then enrols through the API as the page does. */
    private Enrolled enrol(String username, String keyId) throws Exception {
        Accounts.Invitation invitation = users.invite(username, Role.ANALYST, keyId);
        assertThat(users.enrolmentLink(invitation)).startsWith("http://127.0.0.1:8087/#enrol=");
        // The console follows console.users: the new account reaches it within a poll.
        HttpResponse<String> started = await().atMost(PATIENCE).until(() -> postJson("/api/enrolment",
                new JsonObject().put("token", invitation.token())), answer -> answer.statusCode() == 200);
        JsonObject start = new JsonObject(started.body());
        assertThat(start.getString("qrCode")).startsWith("data:image/svg+xml;base64,");
        assertThat(start.getString("otpauthUri")).contains("secret=" + start.getString("secret"));
        byte[] secret = Base32.decode(start.getString("secret"));
        HttpResponse<String> completed = postJson("/api/enrolment/complete", new JsonObject()
                .put("token", invitation.token()).put("password", PASSWORD)
                .put("code", Totp.code(secret, Instant.now())));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(201);
        assertThat(new JsonObject(completed.body()).getJsonArray("recoveryCodes")).hasSize(10);
        return new Enrolled(username, secret);
    }

    private Session enrolAndSignIn(String username, String keyId) throws Exception {
        Enrolled enrolled = enrol(username, keyId);
        // The enrolment spent the current step's code: the next step's is within the accepted window.
        HttpResponse<String> answer = signInAnswer(username, PASSWORD,
                Totp.code(enrolled.secret(), Instant.now().plusSeconds(Totp.STEP_SECONDS)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
        JsonObject body = new JsonObject(answer.body());
        assertThat(body.getString("merchantId")).isEqualTo(merchantId);
        assertThat(body.getString("username")).isEqualTo(username);
        assertThat(answer.body()).doesNotContain(SECRET).doesNotContain(PASSWORD);
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), body.getString("csrfToken"));
    }

    private HttpResponse<String> signInAnswer(String username, String password, String code) throws Exception {
        return postJson("/api/session", new JsonObject().put("username", username).put("password", password)
                .put("code", code));
    }

    private HttpResponse<String> postJson(String path, JsonObject body) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An API key of the test merchant, on the key topic the console reads, and known to the stub ingest. */
    private void key(String keyId, Set<String> scopes) {
        ingest.key(keyId, SECRET, merchantId, scopes);
        Instant now = Instant.now();
        keys.save(new ApiKey(keyId, merchantId, Environment.SANDBOX, scopes, List.of(CidrBlock.parse("127.0.0.1/32")),
                Set.of(), List.of(new KeySecret("s1", SECRET.getBytes(StandardCharsets.UTF_8), now,
                now.plus(Duration.ofDays(30)))), now, now, null));
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
