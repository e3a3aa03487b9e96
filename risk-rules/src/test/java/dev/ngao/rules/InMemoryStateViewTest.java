package dev.ngao.rules;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.invariant.InvariantViolation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryStateViewTest {

    @Test
    void shouldRecordADecidedRequestOnEveryDimensionItCarriesAndReserveOnlyWhenApproved() throws Exception {
        // Given a rule set with a daily limit and a weekly merchant limit
        CompiledRuleSet ruleSet = new RuleSetCompiler().compile(Requests.ruleSet(
                Requests.rule("day", "limit", "{\"interval\": \"DAY\", \"limits\": {\"PEN\": 100000}}"),
                Requests.rule("merchant-week", "limit", "{\"dimension\": \"MERCHANT\", \"interval\": \"WEEK\", \"limits\": {\"PEN\": 100000}}")));
        PaymentRequest request = Requests.cip(2_500).setSignals(Requests.signals().setDeviceHash("device-1")
                .setClientIp("203.0.113.9").build()).build();
        InMemoryStateView state = new InMemoryStateView();

        // When
        state.record(request, ruleSet, true);
        state.record(Requests.cip(7_000).build(), ruleSet, false);

        // Then
        Instant end = Requests.NOON;
        assertThat(state.window(Dimension.ACCOUNT, "customer-1", Duration.ofMinutes(1), end, "PEN"))
                .isEqualTo(new WindowTotals(2, 9_500));
        assertThat(state.window(Dimension.IP, "203.0.113.9", Duration.ofMinutes(1), end, "PEN")).isEqualTo(new WindowTotals(1, 2_500));
        assertThat(state.distinctCount(Dimension.DNI, "dni-hash-1", Dimension.DEVICE, Duration.ofDays(1), end)).isEqualTo(1);
        assertThat(state.seenWith(Dimension.DEVICE, "device-1", Dimension.DNI, "dni-hash-1", Duration.ofDays(1), end)).isTrue();
        assertThat(state.deviceSeen("customer-1", "device-1")).isTrue();
        assertThat(state.reservedMinor(new UsageKey(Dimension.ACCOUNT, "customer-1", "PEN", Interval.DAY, ZoneId.of("UTC"),
                LocalDate.parse("2026-11-18")))).isEqualTo(2_500);
        assertThat(state.reservedMinor(new UsageKey(Dimension.MERCHANT, "merchant-1", "PEN", Interval.WEEK, ZoneId.of("UTC"),
                LocalDate.parse("2026-11-16")))).isEqualTo(2_500);
        assertThat(state.approvedOnDayMinor("customer-1", "PEN", LocalDate.parse("2026-11-18"))).isEqualTo(2_500);
    }

    @Test
    void shouldStopWithAnInvariantViolationWhenAReleaseWouldMakeAReservationNegative() {
        UsageKey key = new UsageKey(Dimension.ACCOUNT, "a", "KES", Interval.DAY, ZoneId.of("UTC"), LocalDate.EPOCH);
        InMemoryStateView state = new InMemoryStateView().reserve(key, 100);

        state.release(key, 100);

        assertThat(state.reservedMinor(key)).isZero();
        assertThatThrownBy(() -> state.release(key, 1)).isInstanceOf(InvariantViolation.class);
    }

    @Test
    void shouldMatchIpsInsideCidrEntriesOfBothFamiliesAndNothingElse() {
        assertThat(InMemoryStateView.inRange("10.1.2.3", "10.0.0.0/8")).isTrue();
        assertThat(InMemoryStateView.inRange("11.0.0.1", "10.0.0.0/8")).isFalse();
        assertThat(InMemoryStateView.inRange("2001:db8::1", "2001:db8::/32")).isTrue();
        assertThat(InMemoryStateView.inRange("2001:db9::1", "2001:db8::/32")).isFalse();
        assertThat(InMemoryStateView.inRange("10.1.2.3", "2001:db8::/32")).isFalse();
        assertThat(InMemoryStateView.inRange("example.com", "10.0.0.0/8")).isFalse();
        InMemoryStateView state = new InMemoryStateView()
                .listEntry("m", ListKind.BLOCK, ListDimension.CIDR, "192.0.2.0/24", "e", "range", null);
        assertThat(state.lists().match("m", ListKind.BLOCK, ListDimension.IP, "192.0.2.200", Requests.NOON)).isPresent();
        assertThat(state.lists().match("m", ListKind.ALLOW, ListDimension.IP, "192.0.2.200", Requests.NOON)).isEmpty();
    }

    @Test
    void shouldNeverOverspendTheDefaultLimitsWhenSeededRandomRequestsAreDecidedAndRecordedInOrder() {
        // Given the built-in rule set and 2 000 random wallet requests over three days
        CompiledRuleSet defaults = DefaultRuleSet.of("v", Map.of("KES", 500_000L), Map.of("KES", 2_000_000L));
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            InMemoryStateView state = new InMemoryStateView();
            Map<LocalDate, Long> approvedByDay = new java.util.TreeMap<>();
            for (int i = 0; i < 2_000; i++) {
                Instant at = Requests.NOON.plusSeconds(random.nextInt(3 * 86_400));
                long amountMinor = 1 + random.nextInt(600_000);
                PaymentRequest request = Requests.wallet(amountMinor, "KES").setRequestedAt(at).build();

                // When
                Outcome outcome = Resolution.resolve(defaults.evaluate(Dimension.ACCOUNT, Requests.input(request, state)),
                        defaults.scoreThresholds()).outcome();
                state.record(request, defaults, outcome == Outcome.APPROVE);
                if (outcome == Outcome.APPROVE) {
                    approvedByDay.merge(LocalDate.ofInstant(at, ZoneId.of("UTC")), amountMinor, Long::sum);
                    assertThat(amountMinor).isLessThanOrEqualTo(500_000);
                }
            }

            // Then the daily counters equal the approved sums and none is above the limit
            approvedByDay.forEach((day, sum) -> {
                assertThat(sum).isLessThanOrEqualTo(2_000_000);
                assertThat(state.reservedMinor(new UsageKey(Dimension.ACCOUNT, "wallet-1", "KES", Interval.DAY,
                        ZoneId.of("UTC"), day))).isEqualTo(sum);
            });
            assertThat(approvedByDay).isNotEmpty();
        }
    }
}
