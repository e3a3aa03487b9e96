package dev.ngao.rules;

import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ngao.rules.Requests.problems;
import static dev.ngao.rules.Requests.rule;
import static dev.ngao.rules.Requests.ruleSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleSetCompilerTest {

    private final RuleSetCompiler compiler = new RuleSetCompiler();

    @Test
    void shouldCompileRulesInOrderWithTheirActionModeAndWeightWhenTheRuleSetIsValid() throws Exception {
        // Given
        RuleSetPublished published = ruleSet(
                rule("positive", "amount-positive", "{}"),
                rule("ip-day", "velocity-count", "{\"dimension\": \"IP\", \"windowSeconds\": 86400, \"max\": 20, \"weight\": 30}",
                        RuleAction.REVIEW, RuleMode.SHADOW),
                rule("scores", "score-thresholds", "{\"reviewAt\": 50, \"blockAt\": 100}"));

        // When
        CompiledRuleSet compiled = compiler.compile(published);

        // Then
        assertThat(compiled.merchantId()).isEqualTo("merchant-1");
        assertThat(compiled.version()).isEqualTo("v1");
        assertThat(compiled.rules()).extracting(Rule::id).containsExactly("positive", "ip-day");
        Rule velocity = compiled.rules().get(1);
        assertThat(velocity).isInstanceOf(VelocityCountRule.class);
        assertThat(velocity.action()).isEqualTo(RuleAction.REVIEW);
        assertThat(velocity.mode()).isEqualTo(RuleMode.SHADOW);
        assertThat(velocity.weight()).isEqualTo(30);
        assertThat(velocity.dimension()).isEqualTo(Dimension.IP);
        assertThat(compiled.rulesOf(Dimension.IP)).containsExactly(velocity);
        assertThat(compiled.dimensions()).containsExactlyInAnyOrder(Dimension.ACCOUNT, Dimension.IP);
        assertThat(compiled.scoreThresholds()).contains(new ScoreThresholds(50, 100));
    }

    @Test
    void shouldNameEveryProblemWithItsRuleWhenSeveralRulesAreBad() {
        // Given / When
        List<String> problems = problems(
                rule("v1", "velocity-count", "{\"dimension\": \"IP\", \"windowSeconds\": 0, \"max\": 5}"),
                rule("lim", "limit", "{\"interval\": \"DAY\", \"zone\": \"Mars/Base\", \"limits\": {\"KESX\": 100, \"PEN\": -1}}"),
                rule("night", "off-hours", "{\"from\": \"25:00\", \"to\": 1320, \"colour\": \"red\"}"),
                rule("dc", "distinct-count", "{\"dimension\": \"PHONE\", \"counted\": \"DNI\", \"windowSeconds\": \"1h\", \"max\": 3}"),
                rule("weird", "teleport", "{}"),
                rule("v1", "amount-positive", "{}"));

        // Then
        assertThat(problems).containsExactlyInAnyOrder(
                "rule 'v1': parameter windowSeconds must be positive, got 0",
                "rule 'lim': parameter zone must be an IANA time zone such as America/Lima or UTC, got 'Mars/Base'",
                "rule 'lim': parameter limits has a bad currency: currency must be an ISO-4217 code in upper case, got 'KESX'",
                "rule 'lim': parameter limits.PEN must not be negative, got -1",
                "rule 'night': parameter from must be a time of day HH:mm such as \"22:00\", got '25:00'",
                "rule 'night': parameter to must be a time of day such as \"22:00\" (quote it in YAML), got 1320",
                "rule 'night': unknown parameter 'colour' for type off-hours; known parameters: weight, accountKinds, zone, from, to, minimums",
                "rule 'dc': parameter dimension must be one of ACCOUNT, MERCHANT, MSISDN, IP, DEVICE, DNI, EMAIL, got 'PHONE'",
                "rule 'dc': parameter windowSeconds must be an integer number of seconds, got '1h'",
                "rule 'weird': unknown type 'teleport'; known types: " + String.join(", ", RuleTypes.names()),
                "rule 'v1': id repeats an earlier rule's; ids are unique within a rule set");
    }

    @Test
    void shouldRefuseMissingParametersAndWrongTypesWhenARuleIsIncomplete() {
        List<String> problems = problems(rule("v", "velocity-sum", "{\"dimension\": \"DEVICE\", \"limits\": {\"PEN\": 1.5}}"),
                rule("w", "amount-positive", "{\"weight\": \"high\"}"));

        assertThat(problems).containsExactlyInAnyOrder(
                "rule 'v': parameter windowSeconds is missing",
                "rule 'v': parameter limits.PEN must be an integer amount in minor units, got 1.5",
                "rule 'w': parameter weight must be an integer, got 'high'");
    }

    @Test
    void shouldRefuseMoreThanOneScoreThresholdsRuleWhenTwoAreDeclared() {
        List<String> problems = problems(rule("s1", "score-thresholds", "{\"reviewAt\": 10, \"blockAt\": 20}"),
                rule("s2", "score-thresholds", "{\"reviewAt\": 15, \"blockAt\": 30}"));

        assertThat(problems).containsExactly("a rule set has at most one rule of type score-thresholds, got 2");
    }

    @Test
    void shouldRefuseScoreThresholdsWhenBlockAtIsBelowReviewAtOrReviewAtIsNotPositive() {
        assertThat(problems(rule("s", "score-thresholds", "{\"reviewAt\": 50, \"blockAt\": 40}")))
                .containsExactly("rule 's': parameter blockAt must be at least reviewAt (50), got 40");
        assertThat(problems(rule("s", "score-thresholds", "{\"reviewAt\": 0, \"blockAt\": 40, \"weight\": 3}")))
                .containsExactly("rule 's': parameter reviewAt must be positive, got 0",
                        "rule 's': unknown parameter 'weight' for type score-thresholds; known parameters: reviewAt, blockAt");
    }

    @Test
    void shouldRefuseParametersThatAreNotOneJsonObject() {
        assertThat(problems(rule("a", "amount-positive", "[1, 2]"))).containsExactly("rule 'a': parameters must be a JSON object");
        assertThat(problems(rule("b", "amount-positive", "{\"weight\": 1, \"weight\": 2}")))
                .singleElement().asString().startsWith("rule 'b': parameters are not valid JSON: Duplicate field 'weight'");
        assertThat(problems(rule("c", "amount-positive", "{} {}")))
                .singleElement().asString().startsWith("rule 'c': parameters are not valid JSON");
    }

    @Test
    void shouldRefuseAnEmptyRuleSetOrABlankVersion() {
        RuleSetPublished empty = ruleSet();
        empty.setVersion(" ");

        assertThatThrownBy(() -> compiler.compile(empty))
                .isInstanceOfSatisfying(InvalidRuleSetException.class, e -> assertThat(e.problems())
                        .containsExactly("version must not be blank", "a rule set needs at least one rule"))
                .hasMessageStartingWith("rule set   of merchant-1 refused: version must not be blank");
    }

    @Test
    void shouldRefuseListRulesWhoseActionContradictsTheirList() {
        assertThat(problems(rule("allow", "list", "{\"list\": \"ALLOW\"}", RuleAction.REVIEW, RuleMode.ENFORCE),
                rule("block", "list", "{\"list\": \"BLOCK\"}", RuleAction.ALLOW, RuleMode.ENFORCE)))
                .containsExactly("rule 'allow': an ALLOW list rule must have action ALLOW, got REVIEW",
                        "rule 'block': a BLOCK list rule cannot have action ALLOW");
    }

    @Test
    void shouldCompileCardFundsWithoutParametersAndRefuseItAllowOrParameters() throws Exception {
        Rule funds = compiler.compile(ruleSet(rule("insufficient-funds", "card-funds", "{}"))).rules().get(0);

        assertThat(funds).isInstanceOf(CardFundsRule.class);
        assertThat(funds.dimension()).isEqualTo(Dimension.ACCOUNT);
        assertThat(funds.parametersJson()).isEqualTo("{}");
        assertThat(problems(rule("allow", "card-funds", "{}", RuleAction.ALLOW, RuleMode.ENFORCE),
                rule("otp", "card-funds", "{}", RuleAction.CHALLENGE, RuleMode.ENFORCE),
                rule("floor", "card-funds", "{\"minimums\": {\"KES\": 100}}")))
                .containsExactly("rule 'allow': a card-funds rule cannot have action ALLOW",
                        "rule 'otp': a card-funds rule cannot have action CHALLENGE",
                        "rule 'floor': unknown parameter 'minimums' for type card-funds; known parameters: weight, "
                                + "accountKinds");
    }

    @Test
    void shouldCompileAChallengeRuleAndRefuseOneWithAWeight() throws Exception {
        // Given a challenge on a new device's first large amount, and the same with a weight
        String parameters = "{\"minimums\": {\"KES\": 500000}}";

        // When compiled
        Rule challenge = compiler.compile(ruleSet(rule("step-up", "new-device-large-amount", parameters,
                RuleAction.CHALLENGE, RuleMode.ENFORCE))).rules().get(0);

        // Then the action is kept; a weight is refused, as scores only review or decline
        assertThat(challenge.action()).isEqualTo(RuleAction.CHALLENGE);
        assertThat(problems(rule("weighted", "new-device-large-amount",
                "{\"minimums\": {\"KES\": 500000}, \"weight\": 20}", RuleAction.CHALLENGE, RuleMode.ENFORCE)))
                .containsExactly("rule 'weighted': a CHALLENGE rule cannot have a weight: scores review or decline");
    }

    @Test
    void shouldRefuseWindowsLongerThanTheStoresKeepWhenAVelocityRuleAsksForOne() {
        assertThat(problems(rule("v", "velocity-count", "{\"dimension\": \"IP\", \"windowSeconds\": 2678401, \"max\": 5}")))
                .containsExactly("rule 'v': parameter windowSeconds must be at most 2678400 (31 days), got 2678401");
    }

    @Test
    void shouldRefuseUnknownAccountKindsAndUnknownParametersOfEveryType() {
        List<String> problems = problems(rule("k", "geo-mismatch", "{\"accountKinds\": [\"CARD\", \"UNKNOWN\"], \"strict\": true}"));

        assertThat(problems).containsExactly(
                "rule 'k': parameter accountKinds must be one of WALLET, CARD, CUSTOMER, got 'UNKNOWN'",
                "rule 'k': unknown parameter 'strict' for type geo-mismatch; known parameters: weight, accountKinds");
    }

    @Test
    void shouldRefuseParametersThatCannotWorkTogether() {
        List<String> problems = problems(
                rule("c", "category", "{\"allowed\": [], \"blocked\": [\"59\"]}"),
                rule("k", "country", "{}"),
                rule("d", "distinct-count", "{\"dimension\": \"DNI\", \"counted\": \"DNI\", \"windowSeconds\": 60, \"max\": 0}"),
                rule("l", "list", "{\"list\": \"BLOCK\", \"dimensions\": [\"CIDR\", \"EMAIL\", \"EMAIL\"]}"),
                rule("a", "amount-anomaly", "{\"days\": 7, \"minimumHistoryDays\": 8, \"multiplePercent\": 50}"),
                rule("f", "limit", "{\"interval\": \"DAY\", \"limits\": {}, \"failClosed\": false}"),
                rule("h", "high-risk-country", "{\"countries\": []}"));

        assertThat(problems).containsExactlyInAnyOrder(
                "rule 'c': parameter blocked must hold 4-digit merchant category codes such as \"5411\" (quote them in YAML), got '59'",
                "rule 'c': needs allowed or blocked categories, or both",
                "rule 'k': needs allowed or blocked countries, or both",
                "rule 'd': parameter max must be between 1 and 63, got 0",
                "rule 'd': parameter counted must differ from dimension DNI",
                "rule 'l': parameter dimensions must be one of EMAIL, PHONE, DEVICE, DNI, IP, COUNTRY, got 'CIDR'",
                "rule 'l': parameter dimensions names EMAIL twice",
                "rule 'a': parameter multiplePercent must be between 100 and 100000, got 50",
                "rule 'a': parameter minimumHistoryDays must be at most days (7), got 8",
                "rule 'f': parameter limits must name at least one currency when failClosed is false",
                "rule 'h': parameter countries must not be an empty list");
    }
}
