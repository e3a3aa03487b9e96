package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LimitRuleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId LIMA = ZoneId.of("America/Lima");

    @ParameterizedTest(name = "{0} minor units against a 1000.00 KES per-transaction limit matches: {1}")
    @CsvSource({"99999, false", "100000, false", "100001, true"})
    void shouldMatchOnlyAboveThePerTransactionLimitWhenComparingTheAmountAlone(long amountMinor, boolean matches) {
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 100000}}");
        PaymentRequest request = Requests.wallet(amountMinor, "KES").build();

        Optional<String> reason = rule.evaluate(Requests.input(request, new InMemoryStateView()));

        assertThat(reason.isPresent()).isEqualTo(matches);
        assertThat(rule.usageKeys(request, "wallet-1")).isEmpty();
        reason.ifPresent(text -> assertThat(text).isEqualTo(
                "amount 1000.01 KES is above the per-transaction limit of 1000.00 KES"));
    }

    @ParameterizedTest(name = "{0} reserved + 100.00 against a 500.00 daily limit matches: {1}")
    @CsvSource({"39999, false", "40000, false", "40001, true"})
    void shouldMatchOnlyWhenTheAmountIsAboveWhatIsLeftOfTheDay(long reservedMinor, boolean matches) {
        // Given
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"PEN\": 50000}}");
        PaymentRequest request = Requests.wallet(10_000, "PEN").build();
        UsageKey key = new UsageKey(Dimension.ACCOUNT, "wallet-1", "PEN", Interval.DAY, UTC, LocalDate.parse("2026-11-18"));
        InMemoryStateView state = new InMemoryStateView().reserve(key, reservedMinor);

        // When
        Optional<String> reason = rule.evaluate(Requests.input(request, state));

        // Then
        assertThat(reason.isPresent()).isEqualTo(matches);
        assertThat(rule.usageKeys(request, "wallet-1")).containsExactly(key);
        if (matches) {
            assertThat(reason.get()).isEqualTo("amount 100.00 PEN would exceed the daily limit of 500.00 PEN: "
                    + "400.01 PEN already reserved on 2026-11-18 (UTC)");
        }
    }

    @Test
    void shouldStartANewDayAtMidnightUtcWhenTheZoneIsUtc() {
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"PEN\": 50000}}");

        assertThat(periodOf(rule, "2026-11-18T23:59:59.999Z")).isEqualTo(LocalDate.parse("2026-11-18"));
        assertThat(periodOf(rule, "2026-11-19T00:00:00Z")).isEqualTo(LocalDate.parse("2026-11-19"));
    }

    @Test
    void shouldStartANewDayAtMidnightInLimaWhenTheZoneIsAmericaLima() {
        // Given: Lima is UTC-5 all year, so its day turns at 05:00 UTC
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"zone\": \"America/Lima\", \"limits\": {\"PEN\": 50000}}");
        UsageKey lateEvening = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"zone\": \"America/Lima\", \"limits\": {\"PEN\": 50000}}")
                .usageKeys(at("2026-11-19T04:59:59Z"), "wallet-1").get(0);

        // Then
        assertThat(periodOf(rule, "2026-11-19T04:59:59Z")).isEqualTo(LocalDate.parse("2026-11-18"));
        assertThat(periodOf(rule, "2026-11-19T05:00:00Z")).isEqualTo(LocalDate.parse("2026-11-19"));
        assertThat(lateEvening.zone()).isEqualTo(LIMA);
        assertThat(lateEvening.storeKey()).isEqualTo("ACCOUNT|wallet-1|PEN|DAY|America/Lima|2026-11-18");
    }

    @Test
    void shouldNotCountYesterdaysReservationInLimaWhenTheLimaDayHasTurned() {
        // Given 490.00 PEN reserved on the Lima day of 2026-11-18
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"zone\": \"America/Lima\", \"limits\": {\"PEN\": 50000}}");
        InMemoryStateView state = new InMemoryStateView().reserve(
                new UsageKey(Dimension.ACCOUNT, "wallet-1", "PEN", Interval.DAY, LIMA, LocalDate.parse("2026-11-18")), 49_000);

        // When / Then: 23:59 in Lima is still the 18th, 00:00 the 19th
        assertThat(rule.evaluate(Requests.input(request(10_000, "2026-11-19T04:59:00Z"), state))).get().asString()
                .endsWith("490.00 PEN already reserved on 2026-11-18 (America/Lima)");
        assertThat(rule.evaluate(Requests.input(request(10_000, "2026-11-19T05:00:00Z"), state))).isEmpty();
    }

    @Test
    void shouldStartTheWeekOnMondayAndTheMonthOnTheFirstWhenIntervalsAreCalendarPeriods() {
        Rule week = Requests.compileOne("limit", "{\"interval\": \"WEEK\", \"limits\": {\"PEN\": 50000}}");
        Rule month = Requests.compileOne("limit", "{\"interval\": \"MONTH\", \"zone\": \"America/Lima\", \"limits\": {\"PEN\": 50000}}");
        Rule allTime = Requests.compileOne("limit", "{\"interval\": \"ALL_TIME\", \"limits\": {\"PEN\": 50000}}");

        // 2026-11-16 is a Monday, 2026-11-22 a Sunday
        assertThat(periodOf(week, "2026-11-22T23:59:59Z")).isEqualTo(LocalDate.parse("2026-11-16"));
        assertThat(periodOf(week, "2026-11-23T00:00:00Z")).isEqualTo(LocalDate.parse("2026-11-23"));
        assertThat(periodOf(week, "2026-11-16T00:00:00Z")).isEqualTo(LocalDate.parse("2026-11-16"));
        // 2026-12-01T03:00Z is still November 30th in Lima
        assertThat(periodOf(month, "2026-12-01T03:00:00Z")).isEqualTo(LocalDate.parse("2026-11-01"));
        assertThat(periodOf(month, "2026-12-01T05:00:00Z")).isEqualTo(LocalDate.parse("2026-12-01"));
        assertThat(periodOf(allTime, "2026-12-01T05:00:00Z")).isEqualTo(LocalDate.EPOCH);
    }

    @Test
    void shouldNameThePeriodInTheReasonWhenAWeeklyMerchantLimitIsExceeded() {
        // Given a weekly limit on the merchant, 900.00 PEN reserved this week
        Rule rule = Requests.compileOne("limit", "{\"dimension\": \"MERCHANT\", \"interval\": \"WEEK\", \"limits\": {\"PEN\": 100000}}");
        PaymentRequest request = Requests.wallet(10_001, "PEN").build();
        UsageKey key = rule.usageKeys(request, "merchant-1").get(0);
        InMemoryStateView state = new InMemoryStateView().reserve(key, 90_000);

        // When
        Optional<String> reason = rule.evaluate(Requests.input(request, Dimension.MERCHANT, state));

        // Then
        assertThat(rule.dimension()).isEqualTo(Dimension.MERCHANT);
        assertThat(key).isEqualTo(new UsageKey(Dimension.MERCHANT, "merchant-1", "PEN", Interval.WEEK, UTC,
                LocalDate.parse("2026-11-16")));
        assertThat(reason).contains("amount 100.01 PEN would exceed the weekly merchant limit of 1000.00 PEN: "
                + "900.00 PEN already reserved in the week from 2026-11-16 (UTC)");
        assertThat(rule.evaluate(Requests.input(Requests.wallet(10_000, "PEN").build(), Dimension.MERCHANT, state))).isEmpty();
    }

    @Test
    void shouldMatchEverythingWhenALoweredLimitMeetsUsageReservedUnderTheOldOne() {
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"MONTH\", \"limits\": {\"PEN\": 1000}}");
        PaymentRequest request = Requests.wallet(1, "PEN").build();
        InMemoryStateView state = new InMemoryStateView().reserve(rule.usageKeys(request, "wallet-1").get(0), 5_000);

        assertThat(rule.evaluate(Requests.input(request, state))).get().asString()
                .isEqualTo("amount 0.01 PEN would exceed the monthly limit of 10.00 PEN: 50.00 PEN already reserved "
                        + "in the month from 2026-11-01 (UTC)");
    }

    @Test
    void shouldLetAnUnlistedCurrencyPassWithoutACounterWhenNotFailingClosed() {
        Rule closed = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"PEN\": 1000}}");
        Rule open = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"PEN\": 1000}, \"failClosed\": false}");
        PaymentRequest request = Requests.wallet(1, "USD").build();

        assertThat(closed.evaluate(Requests.input(request, new InMemoryStateView())))
                .contains("no daily limit is configured for currency USD; requests in it are declined");
        assertThat(open.evaluate(Requests.input(request, new InMemoryStateView()))).isEmpty();
        assertThat(open.usageKeys(request, "wallet-1")).isEmpty();
        assertThat(closed.usageKeys(request, "wallet-1")).isEmpty();
    }

    @Test
    void shouldApplyOnlyToTheAccountKindsNamedWhenFiltered() {
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 1000}, \"accountKinds\": [\"CARD\"]}");
        PaymentRequest wallet = Requests.wallet(5_000, "KES").build();
        PaymentRequest card = Requests.card(5_000, "KES").build();

        assertThat(rule.evaluate(Requests.input(wallet, new InMemoryStateView()))).isEmpty();
        assertThat(rule.usageKeys(wallet, "wallet-1")).isEmpty();
        assertThat(rule.evaluate(Requests.input(card, new InMemoryStateView()))).isPresent();
        assertThat(rule.usageKeys(card, "card-1")).hasSize(1);
    }

    @Test
    void shouldNeitherLimitNorReserveARefundBecauseItGivesMoneyBack() {
        Rule rule = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 1000}}");
        PaymentRequest refund = Requests.wallet(5_000, "KES").setType(PaymentType.REFUND)
                .setOriginalTransactionId("tx-0").build();

        assertThat(rule.evaluate(Requests.input(refund, new InMemoryStateView()))).isEmpty();
        assertThat(rule.usageKeys(refund, "wallet-1")).isEmpty();
    }

    @Test
    void shouldShareOneCounterBetweenUtcSpellingsWhenTwoRulesNameTheSamePeriod() {
        Rule utc = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"zone\": \"UTC\", \"limits\": {\"KES\": 1000}}");
        Rule etc = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"zone\": \"Etc/UTC\", \"limits\": {\"KES\": 2000}}");
        Rule zulu = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"zone\": \"Z\", \"limits\": {\"KES\": 2000}}");
        PaymentRequest request = Requests.wallet(5, "KES").setAccountKind(AccountKind.CUSTOMER).build();

        assertThat(etc.usageKeys(request, "wallet-1")).isEqualTo(utc.usageKeys(request, "wallet-1"))
                .isEqualTo(zulu.usageKeys(request, "wallet-1"));
    }

    private static PaymentRequest at(String instant) {
        return request(100, instant);
    }

    private static PaymentRequest request(long amountMinor, String instant) {
        return Requests.wallet(amountMinor, "PEN").setRequestedAt(Instant.parse(instant)).build();
    }

    private static LocalDate periodOf(Rule rule, String instant) {
        List<UsageKey> keys = rule.usageKeys(at(instant), "wallet-1");
        assertThat(keys).hasSize(1);
        return keys.get(0).periodStart();
    }
}
