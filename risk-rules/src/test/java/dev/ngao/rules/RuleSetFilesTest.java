package dev.ngao.rules;

import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleSetFilesTest {

    @Test
    void shouldReadAYamlRuleSetWithItsRulesInOrderAndParametersAsJson() throws Exception {
        // Given
        String yaml = """
                merchantId: shop-1
                version: "7"
                rules:
                  - id: night
                    type: off-hours
                    parameters: {zone: America/Lima, from: 22:00, to: "06:00", minimums: {PEN: 100000}}
                    action: REVIEW
                    mode: SHADOW
                  - id: norway
                    type: country
                    parameters: {blocked: [NO, CU], of: IP}
                    action: BLOCK
                    mode: ENFORCE
                """;

        // When
        RuleSetPublished published = RuleSetFiles.parse(yaml, "shop-1.yaml");

        // Then: 22:00 stays text and NO stays Norway (YAML 1.1 would read 1320 and false)
        assertThat(published.getMerchantId()).isEqualTo("shop-1");
        assertThat(published.getVersion()).isEqualTo("7");
        assertThat(published.getApiKeyId()).isEqualTo("file:shop-1.yaml");
        assertThat(published.getPublishedAt()).isEqualTo(Instant.EPOCH);
        assertThat(published.getRules()).extracting(dev.ngao.events.Rule::getId).containsExactly("night", "norway");
        assertThat(published.getRules().get(0).getParametersJson())
                .isEqualTo("{\"zone\":\"America/Lima\",\"from\":\"22:00\",\"to\":\"06:00\",\"minimums\":{\"PEN\":100000}}");
        assertThat(published.getRules().get(0).getAction()).isEqualTo(RuleAction.REVIEW);
        assertThat(published.getRules().get(0).getMode()).isEqualTo(RuleMode.SHADOW);
        assertThat(published.getRules().get(1).getParametersJson()).isEqualTo("{\"blocked\":[\"NO\",\"CU\"],\"of\":\"IP\"}");
        assertThat(new RuleSetCompiler().compile(published).rules()).hasSize(2);
    }

    @Test
    void shouldReadAChallengeActionAndNameTheChoicesWhenAnActionIsUnknown() throws Exception {
        // Given a rule asking for a step-up and one with an action that does not exist
        String challenge = """
                merchantId: shop-1
                version: "8"
                rules:
                  - id: night-otp
                    type: off-hours
                    parameters: {zone: America/Lima, from: "22:00", to: "06:00", minimums: {PEN: 100000}}
                    action: CHALLENGE
                    mode: ENFORCE
                """;

        // When read
        RuleSetPublished published = RuleSetFiles.parse(challenge, "shop-1.yaml");

        // Then the challenge is kept and compiles; an unknown action names CHALLENGE among the choices
        assertThat(published.getRules()).singleElement().extracting(dev.ngao.events.Rule::getAction)
                .isEqualTo(RuleAction.CHALLENGE);
        assertThat(new RuleSetCompiler().compile(published).rules()).singleElement()
                .extracting(Rule::action).isEqualTo(RuleAction.CHALLENGE);
        assertThatThrownBy(() -> RuleSetFiles.parse(challenge.replace("CHALLENGE", "OTP"), "shop-1.yaml"))
                .hasMessageContaining("action must be one of ALLOW, REVIEW, BLOCK, CHALLENGE");
    }

    @Test
    void shouldReadAJsonFileFromDiskWhenItEndsInJson(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("m.json");
        Files.writeString(file, """
                {"merchantId": "default", "version": "v2", "rules": [
                  {"id": "p", "type": "amount-positive", "parameters": {}, "action": "BLOCK", "mode": "ENFORCE"}]}
                """);

        RuleSetPublished published = RuleSetFiles.read(file);

        assertThat(published.getMerchantId()).isEqualTo("default");
        assertThat(published.getRules()).singleElement().extracting(dev.ngao.events.Rule::getParametersJson).isEqualTo("{}");
        assertThat(RuleSetFiles.isRuleSetFile(file)).isTrue();
        assertThat(RuleSetFiles.isRuleSetFile(Path.of("README.md"))).isFalse();
    }

    @Test
    void shouldNameEveryShapeProblemWithItsRuleWhenTheDocumentIsMalformed() {
        String yaml = """
                merchantId: shop 1
                rules:
                  - id: a
                    type: Velocity
                    parameters: [1]
                    action: DENY
                    colour: red
                  - type: limit
                    parameters: {}
                    action: BLOCK
                    mode: ENFORCE
                  - just text
                owner: me
                """;

        assertThatThrownBy(() -> RuleSetFiles.parse(yaml, "bad.yml"))
                .isInstanceOfSatisfying(InvalidRuleSetFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "unknown field 'owner'; known fields: merchantId, rules, version",
                        "merchantId must be a merchant id (1 to 64 characters among A-Z a-z 0-9 . _ -) or default",
                        "version is missing",
                        "rule 'a': unknown field 'colour'; known fields: action, id, mode, parameters, type",
                        "rule 'a': type must be a rule type in lower case such as velocity-count",
                        "rule 'a': parameters must be an object",
                        "rule 'a': action must be one of ALLOW, REVIEW, BLOCK, CHALLENGE",
                        "rule 'a': mode is missing (one of ENFORCE, SHADOW)",
                        "rules[1]: id is missing",
                        "rules[2] must be an object with id, type, parameters, action and mode"))
                .hasMessageStartingWith("rule set file bad.yml refused: unknown field 'owner'");
    }

    @Test
    void shouldRefuseDuplicateKeysAliasBombsAndUnknownExtensions() {
        assertThatThrownBy(() -> RuleSetFiles.parse("merchantId: a\nmerchantId: b\n", "d.yaml"))
                .isInstanceOfSatisfying(InvalidRuleSetFileException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("not valid YAML: ").contains("duplicate key merchantId"));
        String bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        assertThatThrownBy(() -> RuleSetFiles.parse(bomb, "bomb.yaml"))
                .isInstanceOfSatisfying(InvalidRuleSetFileException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("not valid YAML: "));
        assertThatThrownBy(() -> RuleSetFiles.parse("{}", "rules.txt"))
                .isInstanceOfSatisfying(InvalidRuleSetFileException.class, e -> assertThat(e.problems())
                        .containsExactly("file name must end with .json, .yaml or .yml"));
        assertThatThrownBy(() -> RuleSetFiles.parse("{\"merchantId\": \"a\",}", "trailing.json"))
                .isInstanceOfSatisfying(InvalidRuleSetFileException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("not valid JSON: "));
        assertThatThrownBy(() -> RuleSetFiles.parse("# nothing\n", "empty.yaml"))
                .isInstanceOfSatisfying(InvalidRuleSetFileException.class, e -> assertThat(e.problems())
                        .containsExactly("the document is empty"));
    }

    @Test
    void shouldKeepLeadingZeroNumbersAsTextSoThatTheCompilerNamesThemInsteadOfReadingOctal() throws Exception {
        RuleSetPublished published = RuleSetFiles.parse("""
                merchantId: m
                version: v1
                rules:
                  - {id: l, type: limit, parameters: {interval: DAY, limits: {PEN: 0100}}, action: BLOCK, mode: ENFORCE}
                """, "octal.yaml");

        assertThatThrownBy(() -> new RuleSetCompiler().compile(published))
                .isInstanceOfSatisfying(InvalidRuleSetException.class, e -> assertThat(e.problems())
                        .containsExactly("rule 'l': parameter limits.PEN must be an integer amount in minor units, got '0100'"));
    }
}
