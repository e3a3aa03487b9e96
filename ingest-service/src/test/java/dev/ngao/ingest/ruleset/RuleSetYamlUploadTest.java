package dev.ngao.ingest.ruleset;

import dev.ngao.ingest.ApiFixture;
import dev.ngao.ingest.RouteHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule sets uploaded as YAML through the whole door, as an operator's tooling sends them: signed, past the
 * media-type guard every {@code /v1} request passes, within the body limit and the YAML loader's limits.
 */
@ExtendWith(RouteHarness.class)
class RuleSetYamlUploadTest {

    /** The scope of rule-set publication ({@code Scopes.RULES_ADMIN}). */
    private static final String RULES_ADMIN = "rules:admin";
    private static final String PROBLEMS = "https://ngao.dev/problems/";

    private ApiFixture api;

    @BeforeEach
    void start(ApiFixture api) {
        this.api = api;
        api.grantScopes(Set.of(RULES_ADMIN));
    }

    @Test
    void shouldPublishASignedYamlRuleSetWhenSentAsAnyYamlMediaType() throws Exception {
        for (String contentType : List.of("application/yaml", "application/x-yaml", "text/yaml",
                "application/yaml; charset=utf-8")) {
            // When a valid rule set is uploaded as YAML with this media type
            HttpResponse<String> response = post(RuleSetRoutes.RULE_SETS_PATH, contentType,
                    RuleSetValidatorTest.VALID_YAML);

            // Then it is published, as a JSON one would be
            assertThat(response.statusCode()).as(contentType + ": " + response.body()).isEqualTo(202);
            JsonObject published = new JsonObject(response.body());
            assertThat(published.getString("merchantId")).isEqualTo("default");
            assertThat(published.getString("status")).isEqualTo("PUBLISHED");
        }
    }

    @Test
    void shouldAnswer422NamingTheRuleWhenASignedYamlRuleSetIsInvalid() throws Exception {
        HttpResponse<String> response = post(RuleSetRoutes.RULE_SETS_PATH, "application/yaml",
                RuleSetValidatorTest.VALID_YAML.replace("mode: SHADOW", "mode: LOUD"));

        assertProblem(response, 422, "validation-failed");
        assertThat(new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("rules[0].mode");
    }

    @Test
    void shouldAnswer400MalformedYamlWhenTheDocumentHasMoreAliasesThanTheLimit() throws Exception {
        // Given the start of a "billion laughs": each level refers to the one below several times
        StringBuilder laughs = new StringBuilder("a: &a [lol, lol]\nb: &b [");
        for (int alias = 0; alias <= RuleSetDocuments.MAXIMUM_ALIASES; alias++) {
            laughs.append(alias == 0 ? "*a" : ", *a");
        }
        laughs.append("]\nrules: [*b]\n");

        HttpResponse<String> response = post(RuleSetRoutes.RULE_SETS_PATH, "application/yaml", laughs.toString());

        assertProblem(response, 400, "malformed-yaml");
    }

    @Test
    void shouldAcceptAliasesWithinTheLimit() throws Exception {
        // Given a rule set whose two rules share their parameters through one alias
        String yaml = """
                merchantId: merchant-a
                version: "3"
                rules:
                  - id: ip-burst
                    type: velocity-count
                    parameters: &burst {dimension: IP, windowSeconds: 60, max: 5}
                    action: REVIEW
                    mode: ENFORCE
                  - id: ip-burst-shadow
                    type: velocity-count
                    parameters: *burst
                    action: BLOCK
                    mode: SHADOW
                """;

        HttpResponse<String> response = post(RuleSetRoutes.RULE_SETS_PATH, "application/yaml", yaml);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(new JsonObject(response.body()).getInteger("rules")).isEqualTo(2);
    }

    @Test
    void shouldAnswer400MalformedYamlWhenTheDocumentNestsDeeperThanTheLimit() throws Exception {
        int depth = RuleSetDocuments.MAXIMUM_NESTING_DEPTH + 5;
        String yaml = "merchantId: merchant-a\nversion: \"4\"\nrules: " + "[".repeat(depth) + "]".repeat(depth) + "\n";

        HttpResponse<String> response = post(RuleSetRoutes.RULE_SETS_PATH, "application/yaml", yaml);

        assertProblem(response, 400, "malformed-yaml");
    }

    @Test
    void shouldAnswer400MalformedYamlWhenAKeyIsRepeated() throws Exception {
        String yaml = RuleSetValidatorTest.VALID_YAML.replace("version: \"7\"", "version: \"7\"\nversion: \"8\"");

        HttpResponse<String> response = post(RuleSetRoutes.RULE_SETS_PATH, "application/yaml", yaml);

        assertProblem(response, 400, "malformed-yaml");
    }

    @Test
    void shouldAnswer413WhenTheYamlBodyExceedsTheBodyLimit() throws Exception {
        // Given a valid rule set made larger than the body limit by a comment
        String yaml = RuleSetValidatorTest.VALID_YAML + "# " + "x".repeat(ApiFixture.BODY_LIMIT_BYTES) + "\n";

        HttpResponse<String> response = post(RuleSetRoutes.RULE_SETS_PATH, "application/yaml", yaml);

        assertProblem(response, 413, "payload-too-large");
    }

    @Test
    void shouldAnswer415WhenYamlIsSentToARouteThatTakesOnlyJson() throws Exception {
        HttpResponse<String> payment = post("/v1/payments", "application/yaml", "type: MOBILE_MONEY_COLLECTION\n");
        HttpResponse<String> text = post(RuleSetRoutes.RULE_SETS_PATH, "text/plain", RuleSetValidatorTest.VALID_YAML);

        assertProblem(payment, 415, "unsupported-media-type");
        assertProblem(text, 415, "unsupported-media-type");
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return api.postSigned(path, contentType, body, UUID.randomUUID().toString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo(PROBLEMS + type);
    }
}
