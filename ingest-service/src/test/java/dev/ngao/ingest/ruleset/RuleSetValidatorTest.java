package dev.ngao.ingest.ruleset;

import dev.ngao.events.Rule;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.TestBodies;
import dev.ngao.ingest.http.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ngao.ingest.http.TestBodies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RuleSetValidatorTest {

    static final String VALID_JSON = """
            {"merchantId": "merchant-a", "version": "2026-03-01.1", "rules": [
              {"id": "velocity-ip-1h", "type": "velocity-count",
               "parameters": {"dimension": "IP", "windowSeconds": 3600, "max": 20}, "action": "REVIEW", "mode": "ENFORCE"},
              {"id": "high-risk-country", "type": "high-risk-country",
               "parameters": {"countries": ["KP", "IR"], "of": ["PAYER", "IP"]}, "action": "BLOCK", "mode": "SHADOW"}]}""";
    static final String VALID_YAML = """
            merchantId: default
            version: "7"
            rules:
              - id: amount-anomaly
                type: amount-anomaly
                parameters:
                  days: 30
                  multiplePercent: 200
                  minimumHistoryDays: 3
                  measure: AMOUNT
                action: REVIEW
                mode: SHADOW
            """;

    private final RuleSetValidator validator = new RuleSetValidator();

    @Test
    void shouldAcceptJsonRuleSetAndKeepParametersAsJson() {
        RuleSetValidator.ValidRuleSet ruleSet = TestBodies.valid(validator.validate(TestBodies.parse(VALID_JSON)));

        assertThat(ruleSet.merchantId()).isEqualTo("merchant-a");
        assertThat(ruleSet.version()).isEqualTo("2026-03-01.1");
        assertThat(ruleSet.rules()).extracting(Rule::getId).containsExactly("velocity-ip-1h", "high-risk-country");
        Rule first = ruleSet.rules().get(0);
        assertThat(first.getType()).isEqualTo("velocity-count");
        assertThat(first.getAction()).isEqualTo(RuleAction.REVIEW);
        assertThat(first.getMode()).isEqualTo(RuleMode.ENFORCE);
        assertThat(first.getParametersJson()).isEqualTo("{\"dimension\":\"IP\",\"windowSeconds\":3600,\"max\":20}");
        assertThat(ruleSet.rules().get(1).getMode()).isEqualTo(RuleMode.SHADOW);
    }

    @Test
    void shouldAcceptYamlRuleSetForTheDefaultMerchant() {
        Map<String, Object> document = RuleSetDocuments.parseYaml(VALID_YAML.getBytes(StandardCharsets.UTF_8)).orElseThrow();

        RuleSetValidator.ValidRuleSet ruleSet = TestBodies.valid(validator.validate(document));

        assertThat(ruleSet.merchantId()).isEqualTo("default");
        assertThat(ruleSet.version()).isEqualTo("7");
        assertThat(ruleSet.rules().get(0).getParametersJson()).isEqualTo("{\"days\":30,\"multiplePercent\":200,"
                + "\"minimumHistoryDays\":3,\"measure\":\"AMOUNT\"}");
    }

    @Test
    void shouldNameTheOffendingRuleWhenOneRuleIsInvalid() {
        // Given a rule set whose second rule has an unknown action
        Map<String, Object> document = TestBodies.parse(VALID_JSON.replace("\"BLOCK\"", "\"DENY\""));

        // When it is validated
        Validation<RuleSetValidator.ValidRuleSet> result = validator.validate(document);

        // Then the refusal names the rule by position and by id
        List<FieldError> errors = ((Validation.Invalid<RuleSetValidator.ValidRuleSet>) result).errors();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).field()).isEqualTo("rules[1].action");
        assertThat(errors.get(0).message()).startsWith("rule 'high-risk-country': must be one of ALLOW, BLOCK, CHALLENGE, REVIEW");
    }

    @Test
    void shouldNameRuleByPositionWhenItsIdIsUnreadable() {
        Map<String, Object> document = TestBodies.parse(VALID_JSON.replace("\"velocity-ip-1h\"", "\"has space\""));

        List<FieldError> errors = ((Validation.Invalid<RuleSetValidator.ValidRuleSet>) validator.validate(document)).errors();

        assertThat(errors.get(0).field()).isEqualTo("rules[0].id");
        assertThat(errors.get(0).message()).startsWith("rule 1: ");
    }

    static Stream<Arguments> invalidRuleSets() {
        Map<String, Object> valid = TestBodies.parse(VALID_JSON);
        return Stream.of(
                arguments("unknown field", with(valid, "author", "ops"), "author"),
                arguments("merchant missing", with(valid, "merchantId", null), "merchantId"),
                arguments("merchant malformed", with(valid, "merchantId", "merchant a"), "merchantId"),
                arguments("version missing", with(valid, "version", null), "version"),
                arguments("version as a number", with(valid, "version", 7), "version"),
                arguments("rules missing", with(valid, "rules", null), "rules"),
                arguments("rules empty", with(valid, "rules", List.of()), "rules"),
                arguments("rules not a list", with(valid, "rules", "all"), "rules"),
                arguments("rule not an object", with(valid, "rules", List.of("velocity")), "rules[0]"),
                arguments("rule id repeated", withRule(valid, 1, "id", "velocity-ip-1h"), "rules[1].id"),
                arguments("rule type in upper case", withRule(valid, 0, "type", "VELOCITY"), "rules[0].type"),
                arguments("rule type missing", withRule(valid, 0, "type", null), "rules[0].type"),
                arguments("parameters missing", withRule(valid, 0, "parameters", null), "rules[0].parameters"),
                arguments("parameters a list", withRule(valid, 0, "parameters", List.of(1)), "rules[0].parameters"),
                arguments("parameters too large", withRule(valid, 0, "parameters", Map.of("blob", "x".repeat(5_000))),
                        "rules[0].parameters"),
                arguments("action missing", withRule(valid, 0, "action", null), "rules[0].action"),
                arguments("mode unknown", withRule(valid, 0, "mode", "DRY_RUN"), "rules[0].mode"),
                arguments("unknown rule field", withRule(valid, 0, "priority", 1), "rules[0].priority"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRuleSets")
    void shouldRefuseFieldWhenInvalid(String description, Map<String, Object> document, String field) {
        assertThat(TestBodies.refusedFields(validator.validate(document))).containsExactly(field);
    }

    @Test
    void shouldRefuseMoreThanTheMaximumNumberOfRules() {
        Map<String, Object> document = TestBodies.parse(VALID_JSON);
        List<Object> rules = new ArrayList<>();
        for (int index = 0; index <= RuleSetValidator.MAXIMUM_RULES; index++) {
            Map<String, Object> rule = new LinkedHashMap<>(ruleAt(document, 0));
            rule.put("id", "rule-" + index);
            rules.add(rule);
        }

        assertThat(TestBodies.refusedFields(validator.validate(with(document, "rules", rules)))).containsExactly("rules");
    }

    @Test
    void shouldRefuseYamlWhenItIsNotAMappingOrHasDuplicateKeysOrTooManyAliases() {
        assertThat(RuleSetDocuments.parseYaml("- a\n- b\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(RuleSetDocuments.parseYaml("version: '1'\nversion: '2'\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(RuleSetDocuments.parseYaml("a: [unclosed\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char name = 'b'; name <= 'j'; name++) {
            char previous = (char) (name - 1);
            laughs.append(name).append(": &").append(name).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, "*" + previous))).append("]\n");
        }
        assertThat(RuleSetDocuments.parseYaml(laughs.toString().getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(RuleSetDocuments.parseYaml("a: &x [1, *x]\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void shouldTurnNonTextYamlKeysIntoTextSoTheyAreRefusedAsUnknownFields() {
        Map<String, Object> document = RuleSetDocuments.parseYaml(
                (VALID_YAML + "1: one\n").getBytes(StandardCharsets.UTF_8)).orElseThrow();

        // A name that is not an identifier is refused without being repeated
        assertThat(TestBodies.refusedFields(validator.validate(document))).containsExactly(FieldReader.UNPRINTABLE_FIELD);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ruleAt(Map<String, Object> document, int index) {
        return (Map<String, Object>) ((List<Object>) document.get("rules")).get(index);
    }

    private static Map<String, Object> withRule(Map<String, Object> document, int index, String field, Object value) {
        List<Object> rules = new ArrayList<>((List<?>) document.get("rules"));
        rules.set(index, with(ruleAt(document, index), field, value));
        return with(document, "rules", rules);
    }
}
