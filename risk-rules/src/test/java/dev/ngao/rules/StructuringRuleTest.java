package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code structuring}: small amounts from one value that add up, within a window, to a large one. */
class StructuringRuleTest {

    private static final String PARAMETERS = "{\"dimension\": \"ACCOUNT\", \"windowSeconds\": 3600, "
            + "\"below\": {\"KES\": 10000}, \"minimumCount\": 4, \"total\": {\"KES\": 30000}}";

    private static InMemoryStateView earlier(int count, long eachMinor) {
        InMemoryStateView state = new InMemoryStateView();
        for (int index = 0; index < count; index++) {
            state.attempt(Dimension.ACCOUNT, "wallet-1", Requests.NOON.minusSeconds(60L * (index + 1)), eachMinor,
                    "KES");
        }
        return state;
    }

    @ParameterizedTest(name = "{0} earlier of {1}, this one {2}: matches {3}")
    @CsvSource({
            // three earlier small payments of 9,000 + this 9,000 = 36,000 > 30,000, four in all: a split payment
            "3, 9000, 9000, true",
            // the same sum with only three in all is not a chain
            "2, 13000, 9000, false",
            // four in all, but 3 x 7,000 + 9,000 = 30,000 is not above the total
            "3, 7000, 9000, false",
            // this one is not small: the limit rules judge it, not this one
            "3, 9000, 10000, false"})
    void shouldMatchAChainOfSmallAmountsAboveTheTotal(int count, long eachMinor, long thisMinor, boolean matches) {
        Rule rule = Requests.compileOne("structuring", PARAMETERS);
        PaymentRequest request = Requests.wallet(thisMinor, "KES").build();

        var reason = rule.evaluate(Requests.input(request, earlier(count, eachMinor)));

        assertThat(reason.isPresent()).isEqualTo(matches);
        if (matches) {
            assertThat(reason.get()).contains("4 requests", "a large payment split into small ones");
        }
    }

    @Test
    void shouldNotCountPaymentsOutsideTheWindow() {
        Rule rule = Requests.compileOne("structuring", PARAMETERS);
        InMemoryStateView state = earlier(3, 9_000);
        InMemoryStateView old = new InMemoryStateView();
        for (int index = 0; index < 3; index++) {
            old.attempt(Dimension.ACCOUNT, "wallet-1", Requests.NOON.minusSeconds(3_600L + index), 9_000, "KES");
        }
        PaymentRequest request = Requests.wallet(9_000, "KES").build();

        assertThat(rule.evaluate(Requests.input(request, state))).isPresent();
        assertThat(rule.evaluate(Requests.input(request, old))).isEmpty();
    }

    @Test
    void shouldNotJudgeACurrencyItDoesNotName() {
        Rule rule = Requests.compileOne("structuring", PARAMETERS);

        assertThat(rule.evaluate(Requests.input(Requests.wallet(100, "UGX").build(), earlier(10, 9_000))))
                .isEmpty();
    }

    @Test
    void shouldRefuseATotalBelowItsSmallAmountAndAChainOfOne() {
        assertThat(Requests.problems(Requests.rule("r1", "structuring", "{\"dimension\": \"ACCOUNT\", "
                + "\"windowSeconds\": 3600, \"below\": {\"KES\": 10000}, \"minimumCount\": 4, "
                + "\"total\": {\"KES\": 5000}}"))).anySatisfy(problem -> assertThat(problem).contains("total"));
        assertThat(Requests.problems(Requests.rule("r1", "structuring", "{\"dimension\": \"ACCOUNT\", "
                + "\"windowSeconds\": 3600, \"below\": {\"KES\": 10000}, \"minimumCount\": 1, "
                + "\"total\": {\"KES\": 50000}}"))).anySatisfy(problem -> assertThat(problem).contains("minimumCount"));
    }
}
