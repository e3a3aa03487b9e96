package dev.ngao.risk.query;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.auth.TestSignedRoutes;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.RiskStreamsService;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.RuleSetFiles;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one application on a real broker: each key's usage lives on one of them, and either
 * answers for every key, forwarding to the owner what it does not hold.
 */
@ExtendWith(KafkaClusterExtension.class)
class UsageQueriesIT {

    private static final Instant REQUESTED_AT = Instant.parse("2025-03-10T08:00:00Z");
    private static final String AT = "2025-03-10T09:00:00Z";
    private static final int ACCOUNTS = 8;
    private static final int DEVICES = 3;

    @TempDir
    Path firstStateDirectory;
    @TempDir
    Path secondStateDirectory;

    private final TestSignedRoutes signed = new TestSignedRoutes();
    private RequestSigner operator;
    private KafkaTestCluster cluster;
    private String registryScope;

    @BeforeEach
    void chooseScope(KafkaTestCluster cluster) {
        this.cluster = cluster;
        registryScope = "risk-usage-it-" + UUID.randomUUID();
    }

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    private RiskConfig config(String applicationId, Path stateDirectory) {
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RISK_APPLICATION_ID", applicationId);
        environment.put("NGAO_RISK_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        environment.put("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        environment.put("NGAO_RISK_STANDBY_REPLICAS", "0");
        return RiskConfig.fromEnvironment(environment);
    }

    @Test
    void shouldAnswerEveryAccountsUsageOnBothInstancesWhenStoresAreSplitBetweenThem() throws Exception {
        // Given two instances of one application, each with its own state and HTTP port
        String applicationId = "risk-usage-it-" + UUID.randomUUID();
        RiskConfig firstConfig = config(applicationId, firstStateDirectory);
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(firstConfig));
             RiskStreamsService first = new RiskStreamsService(firstConfig, kafka);
             RiskStreamsService second = new RiskStreamsService(config(applicationId, secondStateDirectory), kafka)) {
            publishDefaultRuleSet(kafka);
            operator = TestSignedRoutes.saveKey(kafka, "usage-it-operator-" + UUID.randomUUID(), "ngao-operations",
                    Scopes.OPERATOR_READ);
            first.start();
            second.start();
            List<RiskStreamsService> instances = List.of(first, second);
            assertThat(first.httpPort()).isPositive().isNotEqualTo(second.httpPort());

            // When two payments are requested for each of several accounts
            Map<String, Long> expectedReservedMinor = new LinkedHashMap<>();
            Map<String, Long> expectedDeviceSumMinor = new LinkedHashMap<>();
            Map<String, Long> expectedDeviceCount = new LinkedHashMap<>();
            List<PaymentRequest> requests = new ArrayList<>();
            for (int index = 0; index < ACCOUNTS; index++) {
                String account = "acct-" + index;
                long firstAmount = 10_000L + index * 100L;
                String device = "device-" + (index % DEVICES);
                requests.add(onDevice(request("tx-" + index + "-1", account, firstAmount, "KES", REQUESTED_AT), device));
                requests.add(onDevice(request("tx-" + index + "-2", account, 5_000L, "KES",
                        REQUESTED_AT.plusSeconds(60)), device));
                expectedReservedMinor.put(account, firstAmount + 5_000L);
                expectedDeviceSumMinor.merge(device, firstAmount + 5_000L, Long::sum);
                expectedDeviceCount.merge(device, 2L, Long::sum);
            }
            produce(kafka, requests);

            // Then both instances answer every account with the same, correct usage
            Set<String> servers = new HashSet<>();
            int[] forwarded = {0};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                servers.clear();
                forwarded[0] = 0;
                for (Map.Entry<String, Long> account : expectedReservedMinor.entrySet()) {
                    List<HttpResponse<String>> answers = new ArrayList<>();
                    for (RiskStreamsService instance : instances) {
                        HttpResponse<String> answer = get(instance, "/v1/usage/account/" + account.getKey() + "?at=" + AT);
                        assertThat(answer.statusCode()).as("%s on port %d: %s", account.getKey(),
                                instance.httpPort(), answer.body()).isEqualTo(200);
                        answers.add(answer);
                        String servedBy = answer.headers().firstValue(UsageHttpApi.SERVED_BY).orElseThrow();
                        servers.add(servedBy);
                        if (!servedBy.endsWith(":" + instance.httpPort())) {
                            forwarded[0]++;
                        }
                    }
                    assertThat(answers.get(0).body()).isEqualTo(answers.get(1).body());
                    assertThat(answers.get(0).headers().firstValue(UsageHttpApi.SERVED_BY))
                            .isEqualTo(answers.get(1).headers().firstValue(UsageHttpApi.SERVED_BY));
                    JsonObject usage = new JsonObject(answers.get(0).body());
                    JsonObject daily = limit(usage.getJsonArray("limits"), DefaultRuleSet.DAILY_LIMIT, "KES");
                    assertThat(daily.getString("periodStart")).isEqualTo("2025-03-10");
                    assertThat(daily.getLong("reservedMinor")).as(account.getKey()).isEqualTo(account.getValue());
                }
            });

            // And both answer every device's window the same way, each from its own copy of the global signals
            int[] forwardedDevices = {0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                forwardedDevices[0] = 0;
                for (String device : expectedDeviceSumMinor.keySet()) {
                    List<String> bodies = new ArrayList<>();
                    for (RiskStreamsService instance : instances) {
                        HttpResponse<String> answer = get(instance, "/v1/usage/device/" + device + "?at=" + AT);
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        bodies.add(answer.body());
                        if (!answer.headers().firstValue(UsageHttpApi.SERVED_BY).orElseThrow()
                                .endsWith(":" + instance.httpPort())) {
                            forwardedDevices[0]++;
                        }
                    }
                    assertThat(bodies.get(0)).isEqualTo(bodies.get(1));
                    JsonObject usage = new JsonObject(bodies.get(0));
                    assertThat(usage.getString("dimension")).isEqualTo("DEVICE");
                    JsonObject window = usage.getJsonArray("velocity").getJsonObject(0);
                    assertThat(window.getString("ruleId")).isEqualTo("device-sum");
                    assertThat(window.getLong("count")).as(device).isEqualTo(expectedDeviceCount.get(device));
                    assertThat(window.getJsonObject("sumsMinor").getLong("KES")).as(device)
                            .isEqualTo(expectedDeviceSumMinor.get(device));
                }
            });
            assertThat(forwardedDevices[0]).isZero();

            // And every owner answered for its own keys: each account was forwarded by one of the two
            assertThat(forwarded[0]).isEqualTo(ACCOUNTS);
            assertThat(servers).isSubsetOf(
                    "127.0.0.1:" + first.httpPort(), "127.0.0.1:" + second.httpPort());

            // And both are healthy, and refuse a dimension they do not know with a problem
            for (RiskStreamsService instance : instances) {
                assertThat(get(instance, "/health").statusCode()).isEqualTo(200);
                HttpResponse<String> refused = get(instance, "/v1/usage/planet/earth");
                assertThat(refused.statusCode()).isEqualTo(400);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            }

            // When one instance stops, the other takes its keys over and still answers every account
            second.close();
            assertThat(second.terminated().get(30, TimeUnit.SECONDS)).isEqualTo(KafkaStreams.State.NOT_RUNNING);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (Map.Entry<String, Long> account : expectedReservedMinor.entrySet()) {
                    HttpResponse<String> answer = get(first, "/v1/usage/account/" + account.getKey() + "?at=" + AT);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    assertThat(answer.headers().firstValue(UsageHttpApi.SERVED_BY))
                            .hasValue("127.0.0.1:" + first.httpPort());
                    assertThat(limit(new JsonObject(answer.body()).getJsonArray("limits"), DefaultRuleSet.DAILY_LIMIT,
                            "KES").getLong("reservedMinor")).isEqualTo(account.getValue());
                }
            });
        }
    }

    /** A default rule set with the daily limit and a sum per device an hour, in force before the instances start. */
    private static void publishDefaultRuleSet(KafkaContext kafka) throws Exception {
        kafka.ensureTopics(List.of(Topics.RISK_RULESETS), "risk-usage-it-admin");
        RuleSetPublished ruleSet = RuleSetFiles.parse("""
                merchantId: default
                version: "usage-it-1"
                rules:
                  - id: daily-limit
                    type: limit
                    parameters: {interval: DAY, zone: UTC, limits: {KES: 30000000}}
                    action: BLOCK
                    mode: ENFORCE
                  - id: device-sum
                    type: velocity-sum
                    parameters: {dimension: DEVICE, windowSeconds: 7200, limits: {KES: 100000000}}
                    action: REVIEW
                    mode: ENFORCE
                """, "default.yaml");
        try (KafkaProducer<String, RuleSetPublished> producer = kafka.producer(Topics.RISK_RULESETS, "risk-usage-it")) {
            producer.send(new ProducerRecord<>(Topics.RISK_RULESETS.name(), ruleSet.getMerchantId(), ruleSet))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static PaymentRequest onDevice(PaymentRequest request, String deviceHash) {
        return PaymentRequest.newBuilder(request)
                .setSignals(RiskSignals.newBuilder().setDeviceHash(deviceHash).build()).build();
    }

    private HttpResponse<String> get(RiskStreamsService instance, String path) throws Exception {
        return signed.get(URI.create("http://127.0.0.1:" + instance.httpPort() + path), operator);
    }

    private static JsonObject limit(JsonArray limits, String ruleId, String currency) {
        return IntStream.range(0, limits.size()).mapToObj(limits::getJsonObject)
                .filter(entry -> ruleId.equals(entry.getString("ruleId")) && currency.equals(entry.getString("currency")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + ruleId + " " + currency + " in " + limits));
    }

    private static void produce(KafkaContext kafka, List<PaymentRequest> requests) throws Exception {
        try (KafkaProducer<String, PaymentRequest> producer =
                     kafka.producer(Topics.PAYMENT_REQUESTS, "risk-usage-it-producer")) {
            for (PaymentRequest request : requests) {
                producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), request.getAccountId(), request))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }
}
