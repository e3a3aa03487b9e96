package dev.ngao.ingest.ruleset;

import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RouteHarness.class)
class RuleSetRoutesTest {

    private static final Set<String> ADMIN = Set.of(Scopes.RULES_ADMIN);

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldPublishYamlRuleSetKeyedByMerchant() {
        HttpResponse<String> response = api.callAcknowledged(api.ruleSets, "POST", "/v1/rule-sets", ADMIN,
                "application/yaml", RuleSetValidatorTest.VALID_YAML);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(api.ruleSets.history().get(0).key()).isEqualTo("default");
        RuleSetPublished published = api.ruleSets.history().get(0).value();
        assertThat(published.getVersion()).isEqualTo("7");
        assertThat(published.getRules().get(0).getMode()).isEqualTo(RuleMode.SHADOW);
        assertThat(published.getApiKeyId()).isEqualTo(MerchantApiHarness.KEY_ID);
        assertThat(new JsonObject(response.body()).getInteger("rules")).isEqualTo(1);
    }

    @Test
    void shouldPublishJsonRuleSet() {
        HttpResponse<String> response = api.callAcknowledged(api.ruleSets, "POST", "/v1/rule-sets", ADMIN, JSON,
                RuleSetValidatorTest.VALID_JSON);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(api.ruleSets.history().get(0).key()).isEqualTo("merchant-a");
    }

    @Test
    void shouldAnswer422NamingTheOffendingRuleAndPublishNothing() {
        HttpResponse<String> response = api.call("POST", "/v1/rule-sets", ADMIN, "application/yaml",
                RuleSetValidatorTest.VALID_YAML.replace("mode: SHADOW", "mode: LOUD"));

        assertThat(response.statusCode()).isEqualTo(422);
        JsonObject error = new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("field")).isEqualTo("rules[0].mode");
        assertThat(error.getString("message")).startsWith("rule 'amount-anomaly':");
        assertThat(api.ruleSets.history()).isEmpty();
    }

    @Test
    void shouldAnswer400WhenYamlOrJsonIsMalformedAnd415ForOtherMediaTypes() {
        HttpResponse<String> yaml = api.call("POST", "/v1/rule-sets", ADMIN, "application/yaml", "rules: [unclosed");
        HttpResponse<String> json = api.call("POST", "/v1/rule-sets", ADMIN, JSON, "{\"rules\": ");
        HttpResponse<String> text = api.call("POST", "/v1/rule-sets", ADMIN, "text/plain", "rules");

        assertThat(yaml.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(yaml.body()).getString("type")).endsWith("/malformed-yaml");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(api.ruleSets.history()).isEmpty();
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayTheFirstPublicationWithoutSecondEvent() {
        // When a rule set is posted without a key, then with one, then retried with the same key
        HttpResponse<String> first = api.assertIdempotent(api.ruleSets, "POST", "/v1/rule-sets", ADMIN,
                "application/yaml", RuleSetValidatorTest.VALID_YAML);

        // Then it was published once
        assertThat(first.statusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer422ListingEveryProblemNamingItsRuleAndPublishNothingWhenTheRuleSetCannotRun() {
        // Given a well-shaped rule set that risk-streams could not run: an unknown type, a velocity rule
        // without its window, and an off-hours rule in a zone that does not exist
        String ruleSet = """
                {"merchantId": "merchant-a", "version": "8", "rules": [
                  {"id": "no-such-rule", "type": "crystal-ball", "parameters": {}, "action": "BLOCK", "mode": "ENFORCE"},
                  {"id": "ip-burst", "type": "velocity-count", "parameters": {"dimension": "IP", "max": 5},
                   "action": "REVIEW", "mode": "ENFORCE"},
                  {"id": "night-owl", "type": "off-hours",
                   "parameters": {"zone": "Atlantis/Capital", "from": "22:00", "to": "06:00", "minimums": {"PEN": 100000}},
                   "action": "REVIEW", "mode": "ENFORCE"}]}""";

        // When it is published
        HttpResponse<String> response = api.call("POST", "/v1/rule-sets", ADMIN, JSON, ruleSet);

        // Then it is refused as a rule set that cannot run, each problem naming its rule, and nothing is written
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).endsWith("/" + RuleSetRoutes.REFUSED);
        List<JsonObject> errors = problem.getJsonArray("errors").stream().map(JsonObject.class::cast).toList();
        assertThat(errors).anySatisfy(error -> assertNamed(error, 0, "no-such-rule"))
                .anySatisfy(error -> assertNamed(error, 1, "ip-burst"))
                .anySatisfy(error -> assertNamed(error, 2, "night-owl"));
        assertThat(api.ruleSets.history()).isEmpty();
    }

    private static void assertNamed(JsonObject error, int index, String ruleId) {
        assertThat(error.getString("field")).isEqualTo("rules[" + index + "]");
        assertThat(error.getString("message")).startsWith("rule '" + ruleId + "':");
    }

    @Test
    void shouldPublishARuleSetOfTheWholeCatalogueAsRiskStreamsRunsIt() {
        // Given a rule set whose rules are each well-formed for their type
        String ruleSet = """
                {"merchantId": "merchant-a", "version": "9", "rules": [
                  {"id": "positive", "type": "amount-positive", "parameters": {}, "action": "BLOCK", "mode": "ENFORCE"},
                  {"id": "ip-burst", "type": "velocity-count",
                   "parameters": {"dimension": "IP", "windowSeconds": 60, "max": 5}, "action": "REVIEW", "mode": "ENFORCE"},
                  {"id": "dni-accounts", "type": "distinct-count",
                   "parameters": {"dimension": "DNI", "counted": "ACCOUNT", "windowSeconds": 86400, "max": 3},
                   "action": "REVIEW", "mode": "SHADOW"},
                  {"id": "night-owl", "type": "off-hours",
                   "parameters": {"from": "22:00", "to": "06:00", "minimums": {"PEN": 100000}},
                   "action": "REVIEW", "mode": "ENFORCE"},
                  {"id": "thresholds", "type": "score-thresholds", "parameters": {"reviewAt": 50, "blockAt": 80},
                   "action": "REVIEW", "mode": "ENFORCE"}]}""";

        // When it is published
        HttpResponse<String> response = api.callAcknowledged(api.ruleSets, "POST", "/v1/rule-sets", ADMIN, JSON,
                ruleSet);

        // Then it is published as given
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(api.ruleSets.history().get(0).value().getRules()).hasSize(5);
    }

    @Test
    void shouldPublishTheExampleRuleSetsOfRiskStreamsAsTheyAreWritten() throws Exception {
        // Given the example rule sets risk-streams ships (every rule type of the catalogue appears in them)
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of("..", "risk-streams", "rulesets"))) {
            files = listed.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".json"))
                    .sorted().toList();
        }
        assertThat(files).isNotEmpty();

        for (Path file : files) {
            // When each is published as an operator would, in its own media type
            String mediaType = file.toString().endsWith(".yaml") ? "application/yaml" : JSON;
            HttpResponse<String> response = api.callAcknowledged(api.ruleSets, "POST", "/v1/rule-sets", ADMIN,
                    mediaType, Files.readString(file));

            // Then the door compiles and publishes it
            assertThat(response.statusCode()).as(file.getFileName().toString() + ": " + response.body())
                    .isEqualTo(202);
        }
        assertThat(api.ruleSets.history()).hasSameSizeAs(files);
    }
}
