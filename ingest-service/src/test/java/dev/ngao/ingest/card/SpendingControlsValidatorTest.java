package dev.ngao.ingest.card;

import dev.ngao.events.SpendingControls;
import dev.ngao.events.SpendingInterval;
import dev.ngao.events.SpendingLimit;
import dev.ngao.ingest.http.TestBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ngao.ingest.http.TestBodies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SpendingControlsValidatorTest {

    static final Map<String, Object> VALID = TestBodies.parse("""
            {"spendingLimits": [{"interval": "PER_AUTHORIZATION", "amountMinor": 50000},
                                {"interval": "DAILY", "amountMinor": 100000},
                                {"interval": "WEEKLY", "amountMinor": 300000},
                                {"interval": "MONTHLY", "amountMinor": 1000000},
                                {"interval": "ALL_TIME", "amountMinor": 5000000}],
             "allowedCategories": ["5411", "5812"], "blockedCountries": ["KP", "IR"]}""");

    private final SpendingControlsValidator validator = new SpendingControlsValidator();

    @Test
    void shouldAcceptEveryIntervalCategoriesAndCountriesWhenValid() {
        SpendingControls controls = TestBodies.valid(validator.validate(VALID));

        assertThat(controls.getLimits()).containsExactly(
                new SpendingLimit(SpendingInterval.PER_AUTHORIZATION, 50_000L),
                new SpendingLimit(SpendingInterval.DAILY, 100_000L),
                new SpendingLimit(SpendingInterval.WEEKLY, 300_000L),
                new SpendingLimit(SpendingInterval.MONTHLY, 1_000_000L),
                new SpendingLimit(SpendingInterval.ALL_TIME, 5_000_000L));
        assertThat(controls.getAllowedCategories()).containsExactly("5411", "5812");
        assertThat(controls.getBlockedCategories()).isEmpty();
        assertThat(controls.getAllowedCountries()).isEmpty();
        assertThat(controls.getBlockedCountries()).containsExactly("KP", "IR");
    }

    @Test
    void shouldAcceptEmptyControlsWhenNothingIsRestricted() {
        SpendingControls controls = TestBodies.valid(validator.validate(Map.of()));

        assertThat(controls.getLimits()).isEmpty();
        assertThat(controls.getAllowedCountries()).isEmpty();
    }

    static Stream<Arguments> invalidControls() {
        return Stream.of(
                arguments("unknown field", with(VALID, "velocity", 3), "velocity"),
                arguments("limits not a list", with(VALID, "spendingLimits", "daily"), "spendingLimits"),
                arguments("limit not an object", with(VALID, "spendingLimits", List.of(5)), "spendingLimits[0]"),
                arguments("unknown interval", with(VALID, "spendingLimits",
                        List.of(Map.of("interval", "YEARLY", "amountMinor", 5))), "spendingLimits[0].interval"),
                arguments("interval UNKNOWN", with(VALID, "spendingLimits",
                        List.of(Map.of("interval", "UNKNOWN", "amountMinor", 5))), "spendingLimits[0].interval"),
                arguments("repeated interval", with(VALID, "spendingLimits", List.of(
                        Map.of("interval", "DAILY", "amountMinor", 5), Map.of("interval", "DAILY", "amountMinor", 6))),
                        "spendingLimits[1].interval"),
                arguments("amount missing", with(VALID, "spendingLimits", List.of(Map.of("interval", "DAILY"))),
                        "spendingLimits[0].amountMinor"),
                arguments("amount zero", with(VALID, "spendingLimits",
                        List.of(Map.of("interval", "DAILY", "amountMinor", 0))), "spendingLimits[0].amountMinor"),
                arguments("amount with a fraction", with(VALID, "spendingLimits",
                        List.of(Map.of("interval", "DAILY", "amountMinor", 10.5))), "spendingLimits[0].amountMinor"),
                arguments("amount as text", with(VALID, "spendingLimits",
                        List.of(Map.of("interval", "DAILY", "amountMinor", "1000"))), "spendingLimits[0].amountMinor"),
                arguments("amount too large", with(VALID, "spendingLimits", List.of(Map.of("interval", "DAILY",
                        "amountMinor", SpendingControlsValidator.MAXIMUM_LIMIT_MINOR + 1))),
                        "spendingLimits[0].amountMinor"),
                arguments("unknown field in a limit", with(VALID, "spendingLimits",
                        List.of(Map.of("interval", "DAILY", "amountMinor", 5, "categories", List.of()))),
                        "spendingLimits[0].categories"),
                arguments("category of 3 digits", with(VALID, "allowedCategories", List.of("541")), "allowedCategories[0]"),
                arguments("category with a letter", with(VALID, "allowedCategories", List.of("54A1")),
                        "allowedCategories[0]"),
                arguments("allowed and blocked categories", with(VALID, "blockedCategories", List.of("7995")),
                        "blockedCategories"),
                arguments("country in lower case", with(VALID, "blockedCountries", List.of("kp")), "blockedCountries[0]"),
                arguments("country that does not exist", with(VALID, "blockedCountries", List.of("ZZ")),
                        "blockedCountries"),
                arguments("allowed and blocked countries", with(VALID, "allowedCountries", List.of("PE")),
                        "blockedCountries"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidControls")
    void shouldRefuseFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        assertThat(TestBodies.refusedFields(validator.validate(body))).containsExactly(field);
    }
}
