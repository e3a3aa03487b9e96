package dev.ngao.ingest.idempotency;

import dev.ngao.ingest.ApiFixture;
import dev.ngao.ingest.RouteHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused request frees its {@code Idempotency-Key} at once: the corrected retry a merchant sends straight
 * after the refusal, with the same key, is accepted. The claim log here takes as long as a Kafka round trip
 * to land each record, so the retry really races the release of the refused request's claim.
 */
@ExtendWith(RouteHarness.class)
class RefusalFreesKeyApiTest {

    private static final String RULE_SETS = "/v1/rule-sets";
    private static final String YAML = "application/yaml";
    private static final Duration KAFKA_ROUND_TRIP = Duration.ofMillis(300);
    private static final String VALID_RULE_SET = """
            merchantId: merchant-a
            version: "11"
            rules:
              - id: ip-burst
                type: velocity-count
                parameters: {dimension: IP, windowSeconds: 60, max: 5}
                action: REVIEW
                mode: ENFORCE
            """;

    private ApiFixture api;

    @BeforeEach
    void start(ApiFixture api) throws Exception {
        this.api = api;
        api.grantScopes(Set.of("rules:admin"));
        // A first request warms client and server up, so the retries below follow their refusal closely.
        assertThat(api.postSigned(RULE_SETS, YAML, VALID_RULE_SET, "warm-up").statusCode()).isEqualTo(202);
        api.claimLog.delayAppends(KAFKA_ROUND_TRIP);
    }

    @Test
    void shouldAcceptTheCorrectedRetryAtOnceWhenTheFirstRequestFailedValidation() throws Exception {
        // Given a rule set refused with 422 for a field
        HttpResponse<String> refused = api.postSigned(RULE_SETS, YAML,
                VALID_RULE_SET.replace("mode: ENFORCE", "mode: LOUD"), "fix-and-retry-1");
        assertProblem(refused, 422, "validation-failed");

        // When the operator corrects it and sends it straight away with the same key
        HttpResponse<String> corrected = api.postSigned(RULE_SETS, YAML, VALID_RULE_SET, "fix-and-retry-1");

        // Then the corrected request is accepted as a first request, not refused as a reuse of the key
        assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(202);
        assertThat(corrected.headers().firstValue(Idempotency.REPLAYED_HEADER)).isEmpty();
    }

    @Test
    void shouldAcceptTheCorrectedRetryAtOnceWhenTheRefusalWasSentOutsideTheRecorder() throws Exception {
        // Given a rule set refused with 400 by a route that answers the problem itself (the key is released
        // when the response ends, after the caller may already have it)
        HttpResponse<String> refused = api.postSigned(RULE_SETS, YAML, "rules: [unclosed", "fix-and-retry-2");
        assertProblem(refused, 400, "malformed-yaml");

        // When the corrected rule set follows at once under the same key
        HttpResponse<String> corrected = api.postSigned(RULE_SETS, YAML, VALID_RULE_SET, "fix-and-retry-2");

        // Then it waits for the release instead of being judged a reuse, and is accepted
        assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(202);
    }

    @Test
    void shouldStillRefuseAnotherRequestUnderAKeyWhoseFirstRequestWasAccepted() throws Exception {
        HttpResponse<String> accepted = api.postSigned(RULE_SETS, YAML, VALID_RULE_SET, "used-once");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        HttpResponse<String> other = api.postSigned(RULE_SETS, YAML, VALID_RULE_SET.replace("\"11\"", "\"12\""),
                "used-once");
        HttpResponse<String> retry = api.postSigned(RULE_SETS, YAML, VALID_RULE_SET, "used-once");

        assertProblem(other, 422, "idempotency-key-reused");
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.headers().firstValue(Idempotency.REPLAYED_HEADER)).hasValue("true");
        assertThat(retry.body()).isEqualTo(accepted.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("https://ngao.dev/problems/" + type);
    }
}
