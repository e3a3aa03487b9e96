package dev.ngao.ingest.stop;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.ingest.ApiFixture;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The emergency-stop routes behind the real door (signatures, scopes, audit), on MockProducers. */
@ExtendWith(RouteHarness.class)
class EmergencyStopRoutesTest {

    private static final String OPERATOR = "ops-stop";
    private static final String OPERATOR_SECRET = "secret-of-the-stop-operator-0001";
    private static final String READER = "ops-read";
    private static final String READER_SECRET = "secret-of-the-read-operator-0001";
    private static final String OPERATIONS = "ngao-operations";
    private static final String MERCHANT_PAYOUTS = "/v1/emergency-stops/MERCHANT/merchant-demo";
    private static final String STOP_PAYOUTS = "{\"traffic\": \"PAYOUTS\", \"reason\": \"Mass chargebacks under review\"}";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MockProducer<String, AuditRecord> audit;
    private ApiFixture api;

    @BeforeEach
    @SuppressWarnings("unchecked") // ApiFixture.start() keeps audit records in a MockProducer
    void start(ApiFixture api) {
        this.api = api;
        audit = (MockProducer<String, AuditRecord>) api.auditProducer;
        api.keys.save(TestKeys.withScopes(TestKeys.key(OPERATOR, OPERATIONS, OPERATOR_SECRET, Instant.now()),
                Set.of(Scopes.OPERATOR_STOP)));
        api.keys.save(TestKeys.withScopes(TestKeys.key(READER, OPERATIONS, READER_SECRET, Instant.now()),
                Set.of(Scopes.OPERATOR_READ)));
    }

    @Test
    void shouldWriteActiveStopUnderItsKeyAndAnswerItWhenOperatorStopsAMerchantsPayouts() {
        // When an operator stops merchant-demo's payouts
        HttpResponse<String> response = operator("PUT", MERCHANT_PAYOUTS, STOP_PAYOUTS);

        // Then one active stop is written to risk.stops, keyed scope|target|traffic, naming the operator's key
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ProducerRecord<String, EmergencyStop> record = onlyStopRecord();
        assertThat(record.topic()).isEqualTo(Topics.RISK_STOPS.name());
        assertThat(record.key()).isEqualTo("MERCHANT|merchant-demo|PAYOUTS");
        EmergencyStop stop = record.value();
        assertThat(stop.getStopId()).isEqualTo(record.key());
        assertThat(stop.getScope()).isEqualTo(StopScope.MERCHANT);
        assertThat(stop.getTarget()).isEqualTo("merchant-demo");
        assertThat(stop.getTraffic()).isEqualTo(StopTraffic.PAYOUTS);
        assertThat(stop.getActive()).isTrue();
        assertThat(stop.getReason()).isEqualTo("Mass chargebacks under review");
        assertThat(stop.getApiKeyId()).isEqualTo(OPERATOR);
        assertThat(stop.getChangedAt()).isBetween(Instant.now().minusSeconds(10), Instant.now());

        // And the answer is the stop
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("stopId")).isEqualTo("MERCHANT|merchant-demo|PAYOUTS");
        assertThat(body.getString("scope")).isEqualTo("MERCHANT");
        assertThat(body.getString("target")).isEqualTo("merchant-demo");
        assertThat(body.getString("traffic")).isEqualTo("PAYOUTS");
        assertThat(body.getBoolean("active")).isTrue();
        assertThat(body.getString("changedBy")).isEqualTo(OPERATOR);
    }

    @Test
    void shouldKeyGlobalStopWithEmptyTargetWhenAllTrafficStopsEverywhere() {
        HttpResponse<String> response = operator("PUT", "/v1/emergency-stops/GLOBAL",
                "{\"traffic\": \"ALL\", \"reason\": \"Rule set gone wrong\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ProducerRecord<String, EmergencyStop> record = onlyStopRecord();
        assertThat(record.key()).isEqualTo("GLOBAL||ALL");
        assertThat(record.value().getScope()).isEqualTo(StopScope.GLOBAL);
        assertThat(record.value().getTarget()).isNull();
        assertThat(record.value().getTraffic()).isEqualTo(StopTraffic.ALL);
    }

    @Test
    void shouldStopAKnownProvidersPayouts() {
        HttpResponse<String> response = operator("PUT", "/v1/emergency-stops/PROVIDER/pagoefectivo", STOP_PAYOUTS);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(onlyStopRecord().key()).isEqualTo("PROVIDER|pagoefectivo|PAYOUTS");
    }

    @Test
    void shouldWriteTheSameKeyInactiveWhenTheStopIsLiftedByQueryOrBody() {
        // Given payouts of merchant-demo stopped
        operator("PUT", MERCHANT_PAYOUTS, STOP_PAYOUTS);

        // When the stop is lifted with ?traffic=, then again with a body naming the traffic and why
        HttpResponse<String> lifted = operator("DELETE", MERCHANT_PAYOUTS + "?traffic=PAYOUTS", null);
        HttpResponse<String> liftedAgain = operator("DELETE", MERCHANT_PAYOUTS,
                "{\"traffic\": \"PAYOUTS\", \"reason\": \"Chargebacks explained by the merchant\"}");

        // Then each writes the stop's key with active false: idempotent, the latest wins
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(liftedAgain.statusCode()).as(liftedAgain.body()).isEqualTo(200);
        List<ProducerRecord<String, EmergencyStop>> history = api.stopProducer.history();
        assertThat(history).hasSize(3);
        assertThat(history).extracting(ProducerRecord::key).containsOnly("MERCHANT|merchant-demo|PAYOUTS");
        assertThat(history.get(1).value().getActive()).isFalse();
        assertThat(history.get(1).value().getReason()).isEqualTo(EmergencyStopValidator.DEFAULT_LIFT_REASON);
        assertThat(history.get(2).value().getReason()).isEqualTo("Chargebacks explained by the merchant");
        assertThat(new JsonObject(lifted.body()).getBoolean("active")).isFalse();
    }

    @Test
    void shouldListOnlyTheStopsInForce() {
        // Given two stops set and one of them lifted
        operator("PUT", MERCHANT_PAYOUTS, STOP_PAYOUTS);
        operator("PUT", "/v1/emergency-stops/PROVIDER/mobile-money-hub", "{\"traffic\": \"ALL\", \"reason\": \"Hub down\"}");
        operator("DELETE", MERCHANT_PAYOUTS + "?traffic=PAYOUTS", null);

        // When an operator lists the stops, with operator:stop or read-only operator:read
        HttpResponse<String> listed = operator("GET", "/v1/emergency-stops", null);
        HttpResponse<String> read = signed(READER, READER_SECRET, "GET", "/v1/emergency-stops", null);

        // Then only the provider's stop is in force
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonArray stops = new JsonObject(listed.body()).getJsonArray("stops");
        assertThat(stops).hasSize(1);
        assertThat(stops.getJsonObject(0).getString("stopId")).isEqualTo("PROVIDER|mobile-money-hub|ALL");
        assertThat(stops.getJsonObject(0).getString("reason")).isEqualTo("Hub down");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(read.body()).getJsonArray("stops")).isEqualTo(stops);
    }

    @Test
    void shouldAuditSetAndLiftWithTheOperatorsKeyAndTheStop() {
        // When a stop is set and lifted
        operator("PUT", MERCHANT_PAYOUTS, STOP_PAYOUTS);
        operator("DELETE", MERCHANT_PAYOUTS + "?traffic=PAYOUTS", null);

        // Then each is on audit.ingest: who (the key), what stop, which traffic, why, and whether set or lifted
        await().atMost(5, TimeUnit.SECONDS).until(() -> audit.history().size() == 2);
        AuditRecord set = audit.history().get(0).value();
        AuditRecord lifted = audit.history().get(1).value();
        assertThat(set.getActor()).isEqualTo(OPERATOR);
        assertThat(set.getAction()).isEqualTo("PUT /v1/emergency-stops/:scope/:target");
        assertThat(set.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(set.getDetails())
                .containsEntry(EmergencyStopRoutes.STOP_ID_DETAIL, "MERCHANT|merchant-demo|PAYOUTS")
                .containsEntry(EmergencyStopRoutes.SCOPE_DETAIL, "MERCHANT")
                .containsEntry(EmergencyStopRoutes.TARGET_DETAIL, "merchant-demo")
                .containsEntry(EmergencyStopRoutes.TRAFFIC_DETAIL, "PAYOUTS")
                .containsEntry(EmergencyStopRoutes.ACTIVE_DETAIL, "true")
                .containsEntry(EmergencyStopRoutes.REASON_DETAIL, "Mass chargebacks under review");
        assertThat(lifted.getActor()).isEqualTo(OPERATOR);
        assertThat(lifted.getAction()).isEqualTo("DELETE /v1/emergency-stops/:scope/:target");
        assertThat(lifted.getDetails())
                .containsEntry(EmergencyStopRoutes.ACTIVE_DETAIL, "false")
                .containsEntry(EmergencyStopRoutes.TRAFFIC_DETAIL, "PAYOUTS")
                .containsEntry(EmergencyStopRoutes.REASON_DETAIL, EmergencyStopValidator.DEFAULT_LIFT_REASON);
    }

    @Test
    void shouldAnswer401AndWriteNothingWhenUnsigned() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(MERCHANT_PAYOUTS))
                .PUT(HttpRequest.BodyPublishers.ofString(STOP_PAYOUTS)).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(api.stopProducer.history()).isEmpty();
    }

    @Test
    void shouldAnswer403AndWriteNothingWhenKeyLacksOperatorStop() {
        // A merchant's key (payment scopes) may do none of it; an operator:read key may only list
        assertThat(merchant("PUT", MERCHANT_PAYOUTS, STOP_PAYOUTS).statusCode()).isEqualTo(403);
        assertThat(merchant("DELETE", MERCHANT_PAYOUTS + "?traffic=PAYOUTS", null).statusCode()).isEqualTo(403);
        assertThat(merchant("GET", "/v1/emergency-stops", null).statusCode()).isEqualTo(403);
        HttpResponse<String> reader = signed(READER, READER_SECRET, "PUT", "/v1/emergency-stops/GLOBAL", STOP_PAYOUTS);

        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(reader.body()).getString("type")).endsWith("/insufficient-scope");
        assertThat(reader.body()).contains(Scopes.OPERATOR_STOP);
        assertThat(api.stopProducer.history()).isEmpty();
    }

    static Stream<Arguments> refusals() {
        String tooLong = "x".repeat(EmergencyStopValidator.MAXIMUM_REASON_LENGTH + 1);
        return Stream.of(
                Arguments.of("unknown scope", "PUT", "/v1/emergency-stops/COUNTRY", STOP_PAYOUTS, "scope"),
                Arguments.of("scope in lower case", "PUT", "/v1/emergency-stops/global", STOP_PAYOUTS, "scope"),
                Arguments.of("target on a GLOBAL stop", "PUT", "/v1/emergency-stops/GLOBAL/merchant-demo", STOP_PAYOUTS,
                        "target"),
                Arguments.of("no merchant", "PUT", "/v1/emergency-stops/MERCHANT", STOP_PAYOUTS, "target"),
                Arguments.of("no provider", "PUT", "/v1/emergency-stops/PROVIDER", STOP_PAYOUTS, "target"),
                Arguments.of("unknown provider", "PUT", "/v1/emergency-stops/PROVIDER/acme-bank", STOP_PAYOUTS, "target"),
                Arguments.of("malformed merchant", "PUT", "/v1/emergency-stops/MERCHANT/m%7C1", STOP_PAYOUTS, "target"),
                Arguments.of("unknown traffic", "PUT", MERCHANT_PAYOUTS, "{\"traffic\": \"REFUNDS\", \"reason\": \"x\"}",
                        "traffic"),
                Arguments.of("traffic UNKNOWN", "PUT", MERCHANT_PAYOUTS, "{\"traffic\": \"UNKNOWN\", \"reason\": \"x\"}",
                        "traffic"),
                Arguments.of("no traffic", "PUT", MERCHANT_PAYOUTS, "{\"reason\": \"x\"}", "traffic"),
                Arguments.of("no reason", "PUT", MERCHANT_PAYOUTS, "{\"traffic\": \"PAYOUTS\"}", "reason"),
                Arguments.of("empty reason", "PUT", MERCHANT_PAYOUTS, "{\"traffic\": \"PAYOUTS\", \"reason\": \"\"}",
                        "reason"),
                Arguments.of("blank reason", "PUT", MERCHANT_PAYOUTS, "{\"traffic\": \"PAYOUTS\", \"reason\": \"  \"}",
                        "reason"),
                Arguments.of("reason too long", "PUT", MERCHANT_PAYOUTS,
                        "{\"traffic\": \"PAYOUTS\", \"reason\": \"" + tooLong + "\"}", "reason"),
                Arguments.of("unknown field", "PUT", MERCHANT_PAYOUTS,
                        "{\"traffic\": \"PAYOUTS\", \"reason\": \"x\", \"until\": \"tomorrow\"}", "until"),
                Arguments.of("lift without traffic", "DELETE", MERCHANT_PAYOUTS, null, "traffic"),
                Arguments.of("lift with unknown traffic", "DELETE", MERCHANT_PAYOUTS + "?traffic=payouts", null, "traffic"),
                Arguments.of("lift with two traffics", "DELETE", MERCHANT_PAYOUTS + "?traffic=PAYOUTS",
                        "{\"traffic\": \"ALL\"}", "traffic"),
                Arguments.of("lift of unknown scope", "DELETE", "/v1/emergency-stops/EVERYWHERE?traffic=ALL", null,
                        "scope"),
                Arguments.of("lift reason too long", "DELETE", MERCHANT_PAYOUTS + "?traffic=PAYOUTS",
                        "{\"reason\": \"" + tooLong + "\"}", "reason"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void shouldAnswer422NamingTheFieldAndWriteNothingWhenInvalid(String name, String method, String path, String body,
                                                                 String field) {
        HttpResponse<String> response = operator(method, path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).endsWith("/validation-failed");
        assertThat(problem.getJsonArray("errors").stream().map(error -> ((JsonObject) error).getString("field")))
                .contains(field);
        assertThat(api.stopProducer.history()).isEmpty();
    }

    private ProducerRecord<String, EmergencyStop> onlyStopRecord() {
        assertThat(api.stopProducer.history()).hasSize(1);
        return api.stopProducer.history().get(0);
    }

    private HttpResponse<String> operator(String method, String pathAndQuery, String body) {
        return signed(OPERATOR, OPERATOR_SECRET, method, pathAndQuery, body);
    }

    private HttpResponse<String> merchant(String method, String pathAndQuery, String body) {
        return signed(ApiFixture.KEY_ID, ApiFixture.SECRET, method, pathAndQuery, body);
    }

    private HttpResponse<String> signed(String keyId, String secret, String method, String pathAndQuery, String body) {
        return api.sendSigned(keyId, secret, method, pathAndQuery, body, null);
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
    }
}
