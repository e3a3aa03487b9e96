package dev.ngao.risk.topology;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class DailyUsageKeyTest {

    @Test
    void shouldWriteAccountCurrencyAndUtcDay() {
        assertThat(DailyUsageKey.of("acct-a", "KES", LocalDate.parse("2025-03-10"))).isEqualTo("acct-a|KES|2025-03-10");
    }

    @Test
    void shouldReadTheDayBackEvenWhenTheAccountContainsTheSeparator() {
        String key = DailyUsageKey.of("odd|account", "UGX", LocalDate.parse("2025-12-31"));

        assertThat(DailyUsageKey.dayOf(key)).contains(LocalDate.parse("2025-12-31"));
    }

    @Test
    void shouldReadNoDayFromAForeignKey() {
        assertThat(DailyUsageKey.dayOf("no-separator")).isEmpty();
        assertThat(DailyUsageKey.dayOf("acct|KES|yesterday")).isEmpty();
    }
}
