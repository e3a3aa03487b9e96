package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** velocity-count, velocity-sum and distinct-count. */
class VelocityRulesTest {

    @ParameterizedTest(name = "{0} earlier attempts in the minute + this one, max 5, matches: {1}")
    @CsvSource({"3, false", "4, false", "5, true"})
    void shouldMatchTheSixthCardAttemptOfAMinuteWhenTheMaximumIsFive(int earlier, boolean matches) {
        // Given
        Rule rule = Requests.compileOne("velocity-count", "{\"dimension\": \"ACCOUNT\", \"windowSeconds\": 60, \"max\": 5}");
        InMemoryStateView state = new InMemoryStateView();
        for (int i = 0; i < earlier; i++) {
            state.attempt(Dimension.ACCOUNT, "card-1", Requests.NOON.minusSeconds(10L * i), 100, "KES");
        }

        // When
        var reason = rule.evaluate(Requests.input(Requests.card(100, "KES").build(), state));

        // Then
        assertThat(reason.isPresent()).isEqualTo(matches);
        reason.ifPresent(text -> assertThat(text).isEqualTo("6 requests for this account within 1 minute, above the maximum of 5"));
    }

    @Test
    void shouldCountOnlyAttemptsInsideTheSlidingWindowWhenOneIsExactlyAtItsStart() {
        // Given 5 attempts: one exactly 60 s before (outside the window (end - 60 s, end]), four inside
        Rule rule = Requests.compileOne("velocity-count", "{\"dimension\": \"ACCOUNT\", \"windowSeconds\": 60, \"max\": 5}");
        InMemoryStateView state = new InMemoryStateView()
                .attempt(Dimension.ACCOUNT, "card-1", Requests.NOON.minusSeconds(60), 100, "KES");
        for (int i = 0; i < 4; i++) {
            state.attempt(Dimension.ACCOUNT, "card-1", Requests.NOON.minusSeconds(59 - i), 100, "KES");
        }
        PaymentRequest request = Requests.card(100, "KES").build();

        assertThat(rule.evaluate(Requests.input(request, state))).isEmpty();
        state.attempt(Dimension.ACCOUNT, "card-1", Requests.NOON.minusMillis(1), 100, "KES");
        assertThat(rule.evaluate(Requests.input(request, state))).isPresent();
    }

    @Test
    void shouldCountPaymentsFromOneIpOverADayWhenTheRuleIsOnTheIpDimension() {
        Rule rule = Requests.compileOne("velocity-count", "{\"dimension\": \"IP\", \"windowSeconds\": 86400, \"max\": 20}");
        PaymentRequest request = Requests.cip(1_000).setSignals(Requests.signals().setClientIp("203.0.113.7").build()).build();
        InMemoryStateView state = new InMemoryStateView();
        for (int i = 0; i < 20; i++) {
            state.attempt(Dimension.IP, "203.0.113.7", Requests.NOON.minus(Duration.ofHours(23)), 1_000, "PEN");
        }

        assertThat(rule.dimension()).isEqualTo(Dimension.IP);
        assertThat(rule.evaluate(Requests.input(request, Dimension.IP, state)))
                .contains("21 requests for this IP address within 24 hours, above the maximum of 20");
    }

    @ParameterizedTest(name = "{0} earlier in the hour + 100.00 PEN against 1000.00 PEN matches: {1}")
    @CsvSource({"89999, false", "90000, false", "90001, true"})
    void shouldMatchWhenTheWindowSumWithThisAmountIsAboveTheLimit(long earlierMinor, boolean matches) {
        // Given earlier spend from the device, and one USD attempt whose amount must not add to PEN
        Rule rule = Requests.compileOne("velocity-sum", "{\"dimension\": \"DEVICE\", \"windowSeconds\": 3600, \"limits\": {\"PEN\": 100000}}");
        InMemoryStateView state = new InMemoryStateView()
                .attempt(Dimension.DEVICE, "device-1", Requests.NOON.minusSeconds(1_800), earlierMinor, "PEN")
                .attempt(Dimension.DEVICE, "device-1", Requests.NOON.minusSeconds(900), 500_000, "USD");
        PaymentRequest request = Requests.cip(10_000).setSignals(Requests.signals().setDeviceHash("device-1").build()).build();

        // When
        var reason = rule.evaluate(Requests.input(request, Dimension.DEVICE, state));

        // Then
        assertThat(reason.isPresent()).isEqualTo(matches);
        reason.ifPresent(text -> assertThat(text).isEqualTo("requests for this device within 1 hour would sum to "
                + "1000.01 PEN with this one, above the limit of 1000.00 PEN"));
    }

    @Test
    void shouldNotJudgeACurrencyTheSumRuleDoesNotList() {
        Rule rule = Requests.compileOne("velocity-sum", "{\"dimension\": \"ACCOUNT\", \"windowSeconds\": 3600, \"limits\": {\"PEN\": 100}}");

        assertThat(rule.evaluate(Requests.input(Requests.wallet(1_000_000, "KES").build(), new InMemoryStateView()))).isEmpty();
    }

    @ParameterizedTest(name = "DNI seen with {0} phone numbers, this one new: {1}, max 3, matches: {2}")
    @CsvSource({"2, true, false", "3, false, false", "3, true, true", "4, false, true"})
    void shouldCountThisRequestsPhoneOnlyWhenTheDniHasNotBeenSeenWithItBefore(int earlierPhones, boolean newPhone,
                                                                             boolean matches) {
        // Given the DNI seen with phone-hash-0.. within the month; this request pays from phone-hash-1
        Rule rule = Requests.compileOne("distinct-count",
                "{\"dimension\": \"DNI\", \"counted\": \"MSISDN\", \"windowSeconds\": 2592000, \"max\": 3}");
        InMemoryStateView state = new InMemoryStateView();
        for (int i = 0; i < earlierPhones; i++) {
            String phone = "phone-hash-" + (newPhone ? i + 10 : i);
            state.seen(Dimension.DNI, "dni-hash-1", Dimension.MSISDN, phone, Requests.NOON.minus(Duration.ofDays(3)));
        }
        PaymentRequest request = Requests.cip(1_000).build();

        // When
        var reason = rule.evaluate(Requests.input(request, Dimension.DNI, state));

        // Then
        assertThat(reason.isPresent()).isEqualTo(matches);
        int distinct = earlierPhones + (newPhone ? 1 : 0);
        reason.ifPresent(text -> assertThat(text).isEqualTo("this DNI is seen with " + distinct
                + " phone numbers within 30 days, above the maximum of 3"));
    }

    @Test
    void shouldForgetValuesSeenBeforeTheWindowWhenCountingDistinctDnisOnADevice() {
        Rule rule = Requests.compileOne("distinct-count",
                "{\"dimension\": \"DEVICE\", \"counted\": \"DNI\", \"windowSeconds\": 86400, \"max\": 3}");
        InMemoryStateView state = new InMemoryStateView()
                .seen(Dimension.DEVICE, "device-1", Dimension.DNI, "dni-a", Requests.NOON.minus(Duration.ofDays(1)))
                .seen(Dimension.DEVICE, "device-1", Dimension.DNI, "dni-b", Requests.NOON.minus(Duration.ofHours(5)))
                .seen(Dimension.DEVICE, "device-1", Dimension.DNI, "dni-c", Requests.NOON.minus(Duration.ofHours(4)));
        PaymentRequest request = Requests.cip(1_000).setSignals(Requests.signals().setDeviceHash("device-1").build()).build();

        // dni-a is exactly one day old, outside (end - 1 day, end]: b, c and this request's DNI make 3
        assertThat(rule.evaluate(Requests.input(request, Dimension.DEVICE, state))).isEmpty();
        state.seen(Dimension.DEVICE, "device-1", Dimension.DNI, "dni-d", Requests.NOON.minusSeconds(1));
        assertThat(rule.evaluate(Requests.input(request, Dimension.DEVICE, state)))
                .contains("this device is seen with 4 DNIs within 24 hours, above the maximum of 3");
    }

    @Test
    void shouldStillMatchWhenTheRequestCarriesNoCountedValueButTheDistinctCountIsAlreadyAboveTheMaximum() {
        Rule rule = Requests.compileOne("distinct-count",
                "{\"dimension\": \"DNI\", \"counted\": \"ACCOUNT\", \"windowSeconds\": 86400, \"max\": 1}");
        InMemoryStateView state = new InMemoryStateView()
                .seen(Dimension.DNI, "dni-hash-1", Dimension.ACCOUNT, "customer-7", Requests.NOON.minusSeconds(60))
                .seen(Dimension.DNI, "dni-hash-1", Dimension.ACCOUNT, "customer-8", Requests.NOON.minusSeconds(30));

        assertThat(rule.evaluate(Requests.input(Requests.cip(1_000).build(), Dimension.DNI, state))).isPresent();
    }

    @Test
    void shouldFailLoudlyWhenAStateViewCannotTellWhetherAValueWasSeenBefore() {
        Rule rule = Requests.compileOne("distinct-count",
                "{\"dimension\": \"DNI\", \"counted\": \"MSISDN\", \"windowSeconds\": 86400, \"max\": 3}");
        StateView withoutSeenWith = new StateView() {
            @Override
            public long reservedMinor(UsageKey key) {
                return 0;
            }

            @Override
            public WindowTotals window(Dimension dimension, String value, Duration window, Instant end, String currency) {
                return WindowTotals.NONE;
            }

            @Override
            public int distinctCount(Dimension dimension, String value, Dimension counted, Duration window, Instant end) {
                return 0;
            }

            @Override
            public java.util.Optional<CardState> card(String cardId) {
                return java.util.Optional.empty();
            }

            @Override
            public ListLookup lists() {
                return ListLookup.EMPTY;
            }

            @Override
            public long approvedOnDayMinor(String accountId, String currency, java.time.LocalDate day) {
                return 0;
            }

            @Override
            public boolean deviceSeen(String accountId, String deviceHash) {
                return false;
            }
        };

        assertThatThrownBy(() -> rule.evaluate(Requests.input(Requests.cip(1_000).build(), Dimension.DNI, withoutSeenWith)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("StateView.seenWith");
    }
}
