package dev.ngao.launcher.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings of bench-cards read from its variables. */
class CardAuthorizationBenchmarkTest {

    @Test
    void shouldIssueThirtyCardsPerAuthorizationASecondOfTheHighestRateWhenNoCountIsGiven() {
        assertThat(CardAuthorizationBenchmark.cardCount(null, List.of(200.0, 500.0))).isEqualTo(15_000);
        assertThat(CardAuthorizationBenchmark.cardCount(" ", List.of(50.0))).isEqualTo(1_500);
    }

    @Test
    void shouldKeepTheCardCountWithinItsBoundsWhenGivenOneOutside() {
        assertThat(CardAuthorizationBenchmark.cardCount(null, List.of(1.0))).isEqualTo(300);
        assertThat(CardAuthorizationBenchmark.cardCount("10", List.of(500.0))).isEqualTo(300);
        assertThat(CardAuthorizationBenchmark.cardCount("5000000", List.of(500.0))).isEqualTo(200_000);
        assertThat(CardAuthorizationBenchmark.cardCount("4000", List.of(500.0))).isEqualTo(4_000);
    }

    @Test
    void shouldReadTheRatesAndThePhaseWhenTheyAreValid() {
        assertThat(CardAuthorizationBenchmark.rates("200, 500")).containsExactly(200.0, 500.0);
        assertThat(CardAuthorizationBenchmark.phase("30")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldRefuseARateOrPhaseThatCannotRunWhenGivenOne() {
        assertThatThrownBy(() -> CardAuthorizationBenchmark.rates("200,0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(CardAuthorizationBenchmark.RATES_VARIABLE);
        assertThatThrownBy(() -> CardAuthorizationBenchmark.rates("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(CardAuthorizationBenchmark.RATES_VARIABLE + " must be positive numbers separated by commas,"
                        + " not 'fast'");
        assertThatThrownBy(() -> CardAuthorizationBenchmark.phase("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(CardAuthorizationBenchmark.SECONDS_VARIABLE);
    }
}
