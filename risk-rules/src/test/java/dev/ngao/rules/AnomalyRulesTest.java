package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** amount-anomaly and new-device-large-amount. */
class AnomalyRulesTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-18");

    @ParameterizedTest(name = "{0} against 200% of a 100.00 PEN daily average matches: {1}")
    @CsvSource({"19999, false", "20000, false", "20001, true"})
    void shouldMatchAnAmountAboveTwiceTheTrailingDailyAverage(long amountMinor, boolean matches) {
        // Given 100.00 PEN approved on each of the 30 days before today
        Rule rule = Requests.compileOne("amount-anomaly", "{}");
        InMemoryStateView state = history(30, 10_000);

        // When
        var reason = rule.evaluate(Requests.input(Requests.cip(amountMinor).build(), state));

        // Then
        assertThat(reason.isPresent()).isEqualTo(matches);
        reason.ifPresent(text -> assertThat(text).isEqualTo("amount 200.01 PEN is 200% of the daily average of 100.00 PEN "
                + "over the last 30 days, above 200%"));
    }

    @Test
    void shouldCompareTheDaysRunningSumWhenTheMeasureIsDaySum() {
        // Given a 100.00 PEN average and 150.00 PEN already approved today
        Rule rule = Requests.compileOne("amount-anomaly", "{\"measure\": \"DAY_SUM\", \"multiplePercent\": 200}");
        InMemoryStateView state = history(30, 10_000).approved("customer-1", "PEN", TODAY, 15_000);

        assertThat(rule.evaluate(Requests.input(Requests.cip(5_000).build(), state))).isEmpty();
        assertThat(rule.evaluate(Requests.input(Requests.cip(5_001).build(), state)))
                .contains("today's sum of 200.01 PEN with this request is 200% of the daily average of 100.00 PEN "
                        + "over the last 30 days, above 200%");
    }

    @Test
    void shouldSayNothingWithoutEnoughDaysOfHistory() {
        Rule rule = Requests.compileOne("amount-anomaly", "{\"minimumHistoryDays\": 3}");

        assertThat(rule.evaluate(Requests.input(Requests.cip(1_000_000).build(), history(2, 100)))).isEmpty();
        assertThat(rule.evaluate(Requests.input(Requests.cip(1_000_000).build(), history(3, 100)))).isPresent();
    }

    @Test
    void shouldAverageAYoungAccountOverTheDaysSinceItsFirstSpendOnly() {
        // Given 100.00 PEN on each of the last 5 days of a 30-day window: the average is 100.00, not 16.66
        Rule rule = Requests.compileOne("amount-anomaly", "{\"days\": 30, \"multiplePercent\": 300}");
        InMemoryStateView state = history(5, 10_000);

        assertThat(rule.evaluate(Requests.input(Requests.cip(30_000).build(), state))).isEmpty();
        assertThat(rule.evaluate(Requests.input(Requests.cip(30_001).build(), state))).get().asString()
                .contains("of the daily average of 100.00 PEN over the last 5 days");
    }

    @Test
    void shouldLeaveTodayAndOtherCurrenciesOutOfTheHistory() {
        Rule rule = Requests.compileOne("amount-anomaly", "{\"days\": 7, \"minimumHistoryDays\": 1}");
        InMemoryStateView state = new InMemoryStateView()
                .approved("customer-1", "PEN", TODAY.minusDays(1), 10_000)
                .approved("customer-1", "PEN", TODAY, 1_000_000)
                .approved("customer-1", "USD", TODAY.minusDays(2), 1_000_000)
                .approved("customer-1", "PEN", TODAY.minusDays(8), 1_000_000);

        assertThat(rule.evaluate(Requests.input(Requests.cip(20_001).build(), state))).get().asString()
                .contains("daily average of 100.00 PEN over the last 1 day");
    }

    @ParameterizedTest(name = "{0} from a new device against a 1000.00 PEN minimum matches: {1}")
    @CsvSource({"99999, false", "100000, true", "100001, true"})
    void shouldMatchALargeAmountFromADeviceTheAccountNeverUsed(long amountMinor, boolean matches) {
        Rule rule = Requests.compileOne("new-device-large-amount", "{\"minimums\": {\"PEN\": 100000}}");
        PaymentRequest request = Requests.cip(amountMinor).setSignals(Requests.signals().setDeviceHash("device-new").build()).build();
        InMemoryStateView state = new InMemoryStateView().device("customer-1", "device-old");

        var reason = rule.evaluate(Requests.input(request, state));

        assertThat(reason.isPresent()).isEqualTo(matches);
        reason.ifPresent(text -> assertThat(text).startsWith("amount ").endsWith(
                " PEN from a device new to this account, at or above 1000.00 PEN"));
    }

    @Test
    void shouldSayNothingForAKnownDeviceAMissingDeviceOrAnUnlistedCurrency() {
        Rule rule = Requests.compileOne("new-device-large-amount", "{\"minimums\": {\"PEN\": 100000}}");
        InMemoryStateView state = new InMemoryStateView().device("customer-1", "device-old");

        assertThat(rule.evaluate(Requests.input(Requests.cip(500_000).setSignals(Requests.signals().setDeviceHash("device-old")
                .build()).build(), state))).isEmpty();
        assertThat(rule.evaluate(Requests.input(Requests.cip(500_000).build(), state))).isEmpty();
        assertThat(rule.evaluate(Requests.input(Requests.wallet(99_999_999, "KES").setSignals(Requests.signals()
                .setDeviceHash("device-new").build()).build(), state))).isEmpty();
    }

    /** {@code amountMinor} PEN approved on each of the {@code days} days before today. */
    private static InMemoryStateView history(int days, long amountMinor) {
        InMemoryStateView state = new InMemoryStateView();
        for (int back = 1; back <= days; back++) {
            state.approved("customer-1", "PEN", TODAY.minusDays(back), amountMinor);
        }
        return state;
    }
}
