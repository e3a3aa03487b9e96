package dev.ngao.rules;

import dev.ngao.events.RuleSetPublished;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A rule's normalised parameters compile back into an equal rule, for every type of the catalogue. */
class ParametersRoundTripTest {

    @Test
    void shouldCompileEveryRulesParametersJsonBackIntoEqualParameters() throws Exception {
        // Given every rule type, from the example rule set that uses them all
        RuleSetPublished published = RuleSetFiles.read(RuleSetExamplesTest.directory().resolve("default.yaml"));
        CompiledRuleSet compiled = new RuleSetCompiler().compile(published);

        for (Rule rule : compiled.rules()) {
            // When
            String json = rule.parametersJson();
            Rule again = Requests.compileOne(rule.type(), json, rule.action(), rule.mode());

            // Then
            assertThat(again.getClass()).isEqualTo(rule.getClass());
            assertThat(((BaseRule) again).parameters()).as(rule.id()).isEqualTo(((BaseRule) rule).parameters());
            assertThat(again.weight()).as(rule.id()).isEqualTo(rule.weight());
            assertThat(((BaseRule) again).accountKinds()).as(rule.id()).isEqualTo(((BaseRule) rule).accountKinds());
            assertThat(again.dimension()).as(rule.id()).isEqualTo(rule.dimension());
            assertThat(again.parametersJson()).as(rule.id()).isEqualTo(json);
        }
    }

    @Test
    void shouldWriteDefaultsOutWhenParametersWereLeftImplicit() {
        Rule rule = Requests.compileOne("amount-anomaly", "{\"weight\": 5}");

        assertThat(rule.parametersJson()).isEqualTo(
                "{\"days\":30,\"multiplePercent\":200,\"minimumHistoryDays\":3,\"measure\":\"AMOUNT\",\"weight\":5}");
        assertThat(Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"USD\": 1, \"KES\": 2}, \"accountKinds\": [\"WALLET\", \"CARD\"]}")
                .parametersJson()).isEqualTo("{\"dimension\":\"ACCOUNT\",\"interval\":\"DAY\",\"zone\":\"UTC\","
                + "\"limits\":{\"KES\":2,\"USD\":1},\"failClosed\":true,\"accountKinds\":[\"WALLET\",\"CARD\"]}");
    }
}
