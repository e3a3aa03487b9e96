package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.SpendingControls;
import dev.ngao.events.SpendingInterval;
import dev.ngao.events.SpendingLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** card-state, card-controls and card-funds. */
class CardRulesTest {

    private static final Instant EXPIRY = Instant.parse("2026-11-30T23:59:59Z");

    private final Rule cardState = Requests.compileOne("card-state", "{}");
    private final Rule cardControls = Requests.compileOne("card-controls", "{}");
    private final Rule cardFunds = Requests.compileOne("card-funds", "{}");

    @Test
    void shouldSayNothingWhenTheCardIsActiveVerifiedAndNotExpired() {
        InMemoryStateView state = new InMemoryStateView().card(card(false, true, EXPIRY, null));

        assertThat(cardState.evaluate(Requests.input(Requests.card(100, "KES").build(), state))).isEmpty();
        assertThat(cardControls.evaluate(Requests.input(Requests.card(100, "KES").build(), state))).isEmpty();
    }

    @Test
    void shouldNameEveryStateProblemWhenTheCardIsFrozenExpiredAndUnverified() {
        InMemoryStateView state = new InMemoryStateView().card(card(true, false, Instant.parse("2026-10-31T23:59:59Z"), null));

        assertThat(cardState.evaluate(Requests.input(Requests.card(100, "KES").build(), state)))
                .contains("card is frozen; card expired on 2026-10-31 (UTC); cardholder KYC is not complete");
    }

    @Test
    void shouldMatchAnUnknownCardOnlyWhenTheCheckIsEnabled() {
        Rule frozenOnly = Requests.compileOne("card-state", "{\"checks\": [\"FROZEN\"]}");
        PaymentRequest request = Requests.card(100, "KES").build();

        assertThat(cardState.evaluate(Requests.input(request, new InMemoryStateView()))).contains("card is not known to Ngao");
        assertThat(frozenOnly.evaluate(Requests.input(request, new InMemoryStateView()))).isEmpty();
        assertThat(frozenOnly.evaluate(Requests.input(request,
                new InMemoryStateView().card(card(false, false, Instant.EPOCH, null))))).isEmpty();
    }

    @ParameterizedTest(name = "requested at {0} with expiry 2026-11-30T23:59:59Z matches: {1}")
    @CsvSource({"2026-11-30T23:59:58Z, false", "2026-11-30T23:59:59Z, true", "2026-12-01T00:00:00Z, true"})
    void shouldMatchFromTheExpiryInstantOnWhenTheCardExpires(String requestedAt, boolean matches) {
        InMemoryStateView state = new InMemoryStateView().card(card(false, true, EXPIRY, null));
        PaymentRequest request = Requests.card(100, "KES").setRequestedAt(Instant.parse(requestedAt)).build();

        assertThat(cardState.evaluate(Requests.input(request, state)).isPresent()).isEqualTo(matches);
    }

    @Test
    void shouldIgnoreRequestsThatAreNotOnACardOrAreRefunds() {
        InMemoryStateView state = new InMemoryStateView().card(card(true, false, EXPIRY, controls(List.of(
                new SpendingLimit(SpendingInterval.PER_AUTHORIZATION, 1L)), List.of("1234"), List.of(), List.of(), List.of())));

        assertThat(cardState.evaluate(Requests.input(Requests.wallet(100, "KES").build(), state))).isEmpty();
        assertThat(cardState.evaluate(Requests.input(Requests.card(100, "KES").setType(PaymentType.REFUND).build(), state))).isEmpty();
        assertThat(cardControls.evaluate(Requests.input(Requests.card(100, "KES").setType(PaymentType.CARD_LOAD).build(), state))).isEmpty();
        assertThat(cardControls.usageKeys(Requests.card(100, "KES").setType(PaymentType.CARD_LOAD).build(), "card-1")).isEmpty();
    }

    @ParameterizedTest(name = "{0} against a 50.00 KES per-authorization limit matches: {1}")
    @CsvSource({"4999, false", "5000, false", "5001, true"})
    void shouldCompareTheAmountWithThePerAuthorizationLimit(long amountMinor, boolean matches) {
        InMemoryStateView state = new InMemoryStateView().card(card(false, true, EXPIRY, controls(List.of(
                new SpendingLimit(SpendingInterval.PER_AUTHORIZATION, 5_000L)), List.of(), List.of(), List.of(), List.of())));

        var reason = cardControls.evaluate(Requests.input(Requests.card(amountMinor, "KES").build(), state));

        assertThat(reason.isPresent()).isEqualTo(matches);
        reason.ifPresent(text -> assertThat(text).isEqualTo("amount 50.01 KES is above the card's per-authorization limit of 50.00 KES"));
    }

    @ParameterizedTest(name = "{0} reserved this week + 10.00 against a 100.00 weekly limit matches: {1}")
    @CsvSource({"8999, false", "9000, false", "9001, true"})
    void shouldCompareWithWhatIsLeftOfTheWeekOnTheCardsUtcCounter(long reservedMinor, boolean matches) {
        // Given a weekly card limit; the week of 2026-11-18 starts on Monday 2026-11-16 (UTC)
        InMemoryStateView state = new InMemoryStateView().card(card(false, true, EXPIRY, controls(List.of(
                new SpendingLimit(SpendingInterval.WEEKLY, 10_000L)), List.of(), List.of(), List.of(), List.of())));
        UsageKey week = new UsageKey(Dimension.ACCOUNT, "card-1", "KES", Interval.WEEK, ZoneId.of("UTC"),
                LocalDate.parse("2026-11-16"));
        state.reserve(week, reservedMinor);
        PaymentRequest request = Requests.card(1_000, "KES").build();

        // When
        var reason = cardControls.evaluate(Requests.input(request, state));

        // Then
        assertThat(reason.isPresent()).isEqualTo(matches);
        assertThat(cardControls.usageKeys(request, "card-1")).contains(week);
        reason.ifPresent(text -> assertThat(text).isEqualTo("amount 10.00 KES would exceed the card's weekly limit of "
                + "100.00 KES: 90.01 KES already reserved in the week from 2026-11-16 (UTC)"));
    }

    @Test
    void shouldReserveOnTheSameDailyCounterAsAUtcDailyLimitRule() {
        Rule daily = Requests.compileOne("limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": 1000}}");
        PaymentRequest request = Requests.card(100, "KES").build();

        assertThat(cardControls.usageKeys(request, "card-1")).containsAll(daily.usageKeys(request, "card-1"));
    }

    @Test
    void shouldRefuseCategoriesAndCountriesTheCardDoesNotAllowOrBlocks() {
        InMemoryStateView state = new InMemoryStateView().card(card(false, true, EXPIRY, controls(List.of(),
                List.of("5411", "5812"), List.of("7995"), List.of("KE", "UG"), List.of("NG"))));

        assertThat(controlsReason(state, "5411", "KE")).isNull();
        assertThat(controlsReason(state, "7995", "NG")).isEqualTo("merchant category 7995 is not allowed for this card; "
                + "merchant category 7995 is blocked for this card; merchant country NG is not allowed for this card; "
                + "merchant country NG is blocked for this card");
        assertThat(controlsReason(state, null, "UG")).isEqualTo("merchant category is unknown and the card allows only listed ones");
    }

    @Test
    void shouldMatchWhenTheAuthorizationIsInAnotherCurrencyThanTheCardsLimits() {
        InMemoryStateView state = new InMemoryStateView().card(card(false, true, EXPIRY, controls(List.of(
                new SpendingLimit(SpendingInterval.DAILY, 10_000L)), List.of(), List.of(), List.of(), List.of())));

        assertThat(cardControls.evaluate(Requests.input(Requests.card(100, "USD").build(), state)))
                .contains("amount currency USD is not the card currency KES");
    }

    @ParameterizedTest(name = "{0} against 50.00 KES of funds matches: {1}")
    @CsvSource({"4999, false", "5000, false", "5001, true"})
    void shouldCompareTheAuthorizationWithTheCardsFunds(long amountMinor, boolean matches) {
        // Given a card loaded with 80.00 KES, 30.00 of it held by an earlier authorization
        InMemoryStateView state = new InMemoryStateView().cardFunds("card-1", "KES", 8_000L)
                .cardFunds("card-1", "KES", -3_000L);

        // When
        var reason = cardFunds.evaluate(Requests.input(Requests.card(amountMinor, "KES").build(), state));

        // Then spending exactly what is there is allowed, one cent more is not
        assertThat(reason.isPresent()).isEqualTo(matches);
        reason.ifPresent(text -> assertThat(text).isEqualTo("amount 50.01 KES is above the card's available funds of "
                + "50.00 KES"));
        assertThat(cardFunds.usageKeys(Requests.card(amountMinor, "KES").build(), "card-1")).isEmpty();
    }

    @Test
    void shouldDeclineAnAuthorizationOnACardNeverLoadedOrLoadedInAnotherCurrency() {
        InMemoryStateView otherCurrency = new InMemoryStateView().cardFunds("card-1", "PEN", 100_000L);

        assertThat(cardFunds.evaluate(Requests.input(Requests.card(1, "KES").build(), new InMemoryStateView())))
                .contains("amount 0.01 KES is above the card's available funds of 0.00 KES");
        assertThat(cardFunds.evaluate(Requests.input(Requests.card(100, "KES").build(), otherCurrency))).isPresent();
    }

    @Test
    void shouldJudgeOnlyCardAuthorizationsWhenAskedAboutFunds() {
        InMemoryStateView empty = new InMemoryStateView();

        assertThat(cardFunds.evaluate(Requests.input(Requests.card(100, "KES").setType(PaymentType.CARD_LOAD).build(),
                empty))).isEmpty();
        assertThat(cardFunds.evaluate(Requests.input(Requests.card(100, "KES").setType(PaymentType.REFUND).build(),
                empty))).isEmpty();
        assertThat(cardFunds.evaluate(Requests.input(Requests.wallet(100, "KES").build(), empty))).isEmpty();
        assertThat(cardFunds.evaluate(Requests.input(Requests.wallet(100, "KES").setType(PaymentType.CARD_AUTHORIZATION)
                .build(), empty))).isEmpty();
    }

    @Test
    void shouldCountApprovedLoadsAndAuthorizationsOnTheFundsWhenRecorded() {
        // Given the built-in rule set and a card loaded with 100.00 KES
        CompiledRuleSet defaults = DefaultRuleSet.of("v", Map.of("KES", 1_000_000L), Map.of("KES", 2_000_000L));
        InMemoryStateView state = new InMemoryStateView().card(card(false, true, EXPIRY, null));
        state.record(Requests.card(10_000, "KES").setType(PaymentType.CARD_LOAD).build(), defaults, true);

        // When 60.00 is approved, then 50.00 asked for
        state.record(Requests.card(6_000, "KES").build(), defaults, true);
        List<RuleHit> hits = defaults.evaluate(Dimension.ACCOUNT, Requests.input(Requests.card(5_000, "KES").build(),
                state));

        // Then 40.00 is left, and the second is declined for it
        assertThat(state.cardFundsMinor("card-1", "KES")).isEqualTo(4_000L);
        assertThat(hits).extracting(RuleHit::ruleId).containsExactly(DefaultRuleSet.INSUFFICIENT_FUNDS);
    }

    private String controlsReason(InMemoryStateView state, String category, String country) {
        PaymentRequest request = Requests.card(100, "KES").build();
        request.getCard().setMerchantCategoryCode(category);
        request.getCard().setMerchantCountry(country);
        return cardControls.evaluate(Requests.input(request, state)).orElse(null);
    }

    private static CardState card(boolean frozen, boolean kycComplete, Instant expiresAt, SpendingControls controls) {
        return new CardState("card-1", "merchant-1", "KES", frozen, kycComplete, expiresAt, controls);
    }

    private static SpendingControls controls(List<SpendingLimit> limits, List<String> allowedCategories,
                                             List<String> blockedCategories, List<String> allowedCountries,
                                             List<String> blockedCountries) {
        return new SpendingControls(limits, allowedCategories, blockedCategories, allowedCountries, blockedCountries);
    }
}
