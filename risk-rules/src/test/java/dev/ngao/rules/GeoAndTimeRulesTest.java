package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** category, country, high-risk-country, geo-mismatch and off-hours. */
class GeoAndTimeRulesTest {

    private final InMemoryStateView state = new InMemoryStateView();

    @Test
    void shouldMatchBlockedCategoriesAndCategoriesOutsideTheAllowedOnes() {
        Rule blocked = Requests.compileOne("category", "{\"blocked\": [\"7995\"]}");
        Rule allowed = Requests.compileOne("category", "{\"allowed\": [\"5411\", \"5812\"]}");

        assertThat(blocked.evaluate(input(card("7995")))).contains("merchant category 7995 is blocked");
        assertThat(blocked.evaluate(input(card("5411")))).isEmpty();
        assertThat(allowed.evaluate(input(card("5411")))).isEmpty();
        assertThat(allowed.evaluate(input(card("4829")))).contains("merchant category 4829 is not among the allowed categories");
        assertThat(allowed.evaluate(input(Requests.wallet(100, "KES").build()))).isEmpty();
    }

    @Test
    void shouldReadTheCountryTheRuleNamesWhenCheckingAllowedAndBlockedCountries() {
        Rule payer = Requests.compileOne("country", "{\"allowed\": [\"PE\"]}");
        Rule merchant = Requests.compileOne("country", "{\"blocked\": [\"KE\"], \"of\": \"MERCHANT\"}");
        Rule ip = Requests.compileOne("country", "{\"blocked\": [\"RU\"], \"of\": \"IP\"}");
        PaymentRequest fromRussia = Requests.cip(100).setSignals(Requests.signals().setIpCountry("ru").build()).build();

        assertThat(payer.evaluate(input(fromRussia))).isEmpty();
        assertThat(payer.evaluate(input(Requests.wallet(100, "KES").setCountry("KE").build())))
                .contains("country KE is not among the allowed countries");
        assertThat(payer.evaluate(input(Requests.wallet(100, "KES").build()))).isEmpty();
        assertThat(merchant.evaluate(input(Requests.card(100, "KES").build()))).contains("merchant country KE is blocked");
        assertThat(ip.evaluate(input(fromRussia))).contains("IP country RU is blocked");
    }

    @Test
    void shouldNameEachHighRiskCountryOfThePayerAndTheIp() {
        Rule rule = Requests.compileOne("high-risk-country", "{\"countries\": [\"KP\", \"IR\"]}");
        Rule ipOnly = Requests.compileOne("high-risk-country", "{\"countries\": [\"KP\", \"IR\"], \"of\": [\"IP\"]}");
        PaymentRequest request = Requests.cip(100).setCountry("IR").setSignals(Requests.signals().setIpCountry("KP").build()).build();

        assertThat(rule.evaluate(input(request))).contains("country IR is high-risk; IP country KP is high-risk");
        assertThat(ipOnly.evaluate(input(request))).contains("IP country KP is high-risk");
        assertThat(rule.evaluate(input(Requests.cip(100).build()))).isEmpty();
    }

    @Test
    void shouldMatchWhenTheIpCountryDiffersFromTheDeclaredOneAndOnlyWhenBothAreKnown() {
        Rule rule = Requests.compileOne("geo-mismatch", "{}");

        assertThat(rule.evaluate(input(Requests.cip(100).setSignals(Requests.signals().setIpCountry("US").build()).build())))
                .contains("IP country US differs from the declared country PE");
        assertThat(rule.evaluate(input(Requests.cip(100).setSignals(Requests.signals().setIpCountry("pe").build()).build())))
                .isEmpty();
        assertThat(rule.evaluate(input(Requests.cip(100).build()))).isEmpty();
        assertThat(rule.evaluate(input(Requests.wallet(100, "KES").setSignals(Requests.signals().setIpCountry("US").build()).build())))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} UTC ({1} in Lima) is off hours: {2}")
    @CsvSource({
            "2026-11-19T02:59:59Z, 21:59, false",
            "2026-11-19T03:00:00Z, 22:00, true",
            "2026-11-19T04:59:59Z, 23:59, true",
            "2026-11-19T05:00:00Z, 00:00, true",
            "2026-11-19T10:59:59Z, 05:59, true",
            "2026-11-19T11:00:00Z, 06:00, false",
            "2026-11-19T17:00:00Z, 12:00, false"})
    void shouldMatchFromTenAtNightToSixInTheMorningInLimaAcrossMidnight(String instant, String lima, boolean offHours) {
        Rule rule = Requests.compileOne("off-hours", "{\"zone\": \"America/Lima\", \"from\": \"22:00\", \"to\": \"06:00\", "
                + "\"minimums\": {\"PEN\": 50000}}");
        PaymentRequest request = Requests.cip(50_000).setRequestedAt(Instant.parse(instant)).build();

        var reason = rule.evaluate(input(request));

        assertThat(reason.isPresent()).isEqualTo(offHours);
        reason.ifPresent(text -> assertThat(text).isEqualTo("amount 500.00 PEN at " + lima.substring(0, 5)
                + " America/Lima, off hours from 22:00 to 06:00, at or above 500.00 PEN"));
    }

    @ParameterizedTest(name = "{0} minor units at night against a 500.00 PEN minimum matches: {1}")
    @CsvSource({"49999, false", "50000, true", "50001, true"})
    void shouldMatchOnlyAmountsAtOrAboveTheMinimumWhenOffHours(long amountMinor, boolean matches) {
        Rule rule = Requests.compileOne("off-hours", "{\"zone\": \"America/Lima\", \"from\": \"22:00\", \"to\": \"06:00\", "
                + "\"minimums\": {\"PEN\": 50000}}");
        PaymentRequest request = Requests.cip(amountMinor).setRequestedAt(Instant.parse("2026-11-19T06:00:00Z")).build();

        assertThat(rule.evaluate(input(request)).isPresent()).isEqualTo(matches);
        assertThat(rule.evaluate(input(Requests.wallet(9_999_999, "KES").setRequestedAt(Instant.parse("2026-11-19T06:00:00Z"))
                .build()))).isEmpty();
    }

    @Test
    void shouldUseThePayersZoneWhenTheRuleNamesNoneAndUtcWhenThePayersIsMissingOrInvalid() {
        Rule rule = Requests.compileOne("off-hours", "{\"from\": \"22:00\", \"to\": \"06:00\"}");
        Instant fourUtc = Instant.parse("2026-11-19T04:00:00Z");
        Instant elevenUtc = Instant.parse("2026-11-19T23:00:00Z");

        PaymentRequest lima = Requests.cip(100).setRequestedAt(fourUtc)
                .setSignals(Requests.signals().setTimeZone("America/Lima").build()).build();
        PaymentRequest nairobi = Requests.cip(100).setRequestedAt(fourUtc)
                .setSignals(Requests.signals().setTimeZone("Africa/Nairobi").build()).build();
        PaymentRequest invalid = Requests.cip(100).setRequestedAt(elevenUtc)
                .setSignals(Requests.signals().setTimeZone("Lima time").build()).build();

        assertThat(rule.evaluate(input(lima))).contains("amount 1.00 PEN at 23:00 America/Lima, off hours from 22:00 to 06:00");
        assertThat(rule.evaluate(input(nairobi))).isEmpty();
        assertThat(rule.evaluate(input(invalid))).contains("amount 1.00 PEN at 23:00 UTC, off hours from 22:00 to 06:00");
        assertThat(rule.evaluate(input(Requests.cip(100).setRequestedAt(fourUtc).build()))).isPresent();
    }

    @Test
    void shouldTreatADaytimeWindowAsNotSpanningMidnight() {
        Rule rule = Requests.compileOne("off-hours", "{\"zone\": \"UTC\", \"from\": \"01:00\", \"to\": \"05:00\"}");

        assertThat(rule.evaluate(input(Requests.cip(100).setRequestedAt(Instant.parse("2026-11-19T00:59:00Z")).build()))).isEmpty();
        assertThat(rule.evaluate(input(Requests.cip(100).setRequestedAt(Instant.parse("2026-11-19T01:00:00Z")).build()))).isPresent();
        assertThat(rule.evaluate(input(Requests.cip(100).setRequestedAt(Instant.parse("2026-11-19T05:00:00Z")).build()))).isEmpty();
    }

    @Test
    void shouldRefuseAWindowThatStartsWhereItEnds() {
        assertThat(Requests.problems(Requests.rule("n", "off-hours", "{\"from\": \"22:00\", \"to\": \"22:00\"}")))
                .containsExactly("rule 'n': parameter to must differ from from (22:00)");
    }

    private RuleInput input(PaymentRequest request) {
        return Requests.input(request, state);
    }

    private static PaymentRequest card(String category) {
        PaymentRequest request = Requests.card(100, "KES").build();
        request.getCard().setMerchantCategoryCode(category);
        return request;
    }
}
