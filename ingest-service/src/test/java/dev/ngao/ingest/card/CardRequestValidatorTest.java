package dev.ngao.ingest.card;

import dev.ngao.events.SpendingInterval;
import dev.ngao.ingest.http.TestBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static dev.ngao.ingest.http.TestBodies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CardRequestValidatorTest {

    static final String CARD_ID = "card_0123456789abcdef0123456789abcdef";
    static final Map<String, Object> VALID_ISSUE = TestBodies.parse("""
            {"cardholderReference": "holder-42", "kycStatus": "VERIFIED", "currency": "PEN",
             "spendingControls": {"spendingLimits": [{"interval": "DAILY", "amountMinor": 100000}]}}""");
    static final Map<String, Object> VALID_LOAD = TestBodies.parse("""
            {"amount": "200.00", "currency": "PEN", "merchantReference": "topup-1"}""");
    static final Map<String, Object> VALID_AUTHORIZATION = TestBodies.parse("""
            {"cardId": "card_0123456789abcdef0123456789abcdef", "amount": "35.90", "currency": "PEN",
             "merchantCategoryCode": "5411", "merchantCountry": "PE", "networkReference": "auth-000123"}""");

    private final CardRequestValidator validator = new CardRequestValidator();

    @Test
    void shouldAcceptIssueWithControlsWhenValid() {
        CardRequests.Issue issue = TestBodies.valid(validator.validateIssue(VALID_ISSUE));

        assertThat(issue.cardholderReference()).isEqualTo("holder-42");
        assertThat(issue.kycComplete()).isTrue();
        assertThat(issue.currency()).isEqualTo("PEN");
        assertThat(issue.controls().getLimits().get(0).getInterval()).isEqualTo(SpendingInterval.DAILY);
    }

    @Test
    void shouldAcceptIssueWithIncompleteKycForTheRouteToRefuse() {
        // A known status other than VERIFIED is valid input; the route answers it with kyc-incomplete
        CardRequests.Issue issue = TestBodies.valid(validator.validateIssue(with(VALID_ISSUE, "kycStatus", "PENDING")));

        assertThat(issue.kycComplete()).isFalse();
    }

    @Test
    void shouldAcceptIssueWithoutControls() {
        assertThat(TestBodies.valid(validator.validateIssue(with(VALID_ISSUE, "spendingControls", null))).controls())
                .isNull();
    }

    static Stream<Arguments> invalidIssues() {
        return Stream.of(
                arguments("unknown field", with(VALID_ISSUE, "pan", "4111111111111111"), "pan"),
                arguments("cardholder missing", with(VALID_ISSUE, "cardholderReference", null), "cardholderReference"),
                arguments("cardholder with spaces", with(VALID_ISSUE, "cardholderReference", "Ana Quispe"),
                        "cardholderReference"),
                arguments("kyc missing", with(VALID_ISSUE, "kycStatus", null), "kycStatus"),
                arguments("kyc unknown", with(VALID_ISSUE, "kycStatus", "DONE"), "kycStatus"),
                arguments("currency missing", with(VALID_ISSUE, "currency", null), "currency"),
                arguments("currency unknown", with(VALID_ISSUE, "currency", "ABC"), "currency"),
                arguments("controls not an object", with(VALID_ISSUE, "spendingControls", "none"), "spendingControls"),
                arguments("controls invalid", with(VALID_ISSUE, "spendingControls",
                        Map.of("allowedCategories", java.util.List.of("54"))), "spendingControls.allowedCategories[0]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidIssues")
    void shouldRefuseIssueFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        assertThat(TestBodies.refusedFields(validator.validateIssue(body))).containsExactly(field);
        assertThat(TestBodies.messages(validator.validateIssue(body))).doesNotContain("4111111111111111", "Quispe");
    }

    @Test
    void shouldAcceptLoadInTheCardCurrency() {
        CardRequests.Load load = TestBodies.valid(validator.validateLoad(VALID_LOAD, "PEN"));

        assertThat(load.amountMinor()).isEqualTo(20_000L);
        assertThat(load.merchantReference()).isEqualTo("topup-1");
    }

    static Stream<Arguments> invalidLoads() {
        return Stream.of(
                arguments("unknown field", with(VALID_LOAD, "cardId", CARD_ID), "cardId"),
                arguments("another currency than the card's", with(VALID_LOAD, "currency", "USD"), "currency"),
                arguments("amount as JSON number", with(VALID_LOAD, "amount", 200), "amount"),
                arguments("amount with three decimals", with(VALID_LOAD, "amount", "200.001"), "amount"),
                arguments("amount missing", with(VALID_LOAD, "amount", null), "amount"),
                arguments("merchant reference missing", with(VALID_LOAD, "merchantReference", null),
                        "merchantReference"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidLoads")
    void shouldRefuseLoadFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        assertThat(TestBodies.refusedFields(validator.validateLoad(body, "PEN"))).containsExactly(field);
    }

    @Test
    void shouldAcceptStateChangeWithOrWithoutReason() {
        assertThat(TestBodies.valid(validator.validateStateChange(Map.of())).reason()).isNull();
        assertThat(TestBodies.valid(validator.validateStateChange(Map.of("reason", "lost phone"))).reason())
                .isEqualTo("lost phone");
    }

    @Test
    void shouldRefuseStateChangeWhenReasonIsBlankTooLongOrUnknownFieldsAreSent() {
        assertThat(TestBodies.refusedFields(validator.validateStateChange(Map.of("reason", " ")))).containsExactly("reason");
        assertThat(TestBodies.refusedFields(validator.validateStateChange(Map.of("reason", "x".repeat(201)))))
                .containsExactly("reason");
        assertThat(TestBodies.refusedFields(validator.validateStateChange(Map.of("reason", "a\u0000b"))))
                .containsExactly("reason");
        assertThat(TestBodies.refusedFields(validator.validateStateChange(Map.of("until", "tomorrow"))))
                .containsExactly("until");
    }

    @Test
    void shouldAcceptAuthorizationWhenValid() {
        CardRequests.Authorization authorization = TestBodies.valid(validator.validateAuthorization(VALID_AUTHORIZATION));

        assertThat(authorization.cardId()).isEqualTo(CARD_ID);
        assertThat(authorization.amountMinor()).isEqualTo(3_590L);
        assertThat(authorization.merchantCategoryCode()).isEqualTo("5411");
        assertThat(authorization.merchantCountry()).isEqualTo("PE");
        assertThat(authorization.networkReference()).isEqualTo("auth-000123");
    }

    static Stream<Arguments> invalidAuthorizations() {
        return Stream.of(
                arguments("unknown field", with(VALID_AUTHORIZATION, "pan", "4111111111111111"), "pan"),
                arguments("card id missing", with(VALID_AUTHORIZATION, "cardId", null), "cardId"),
                arguments("card id malformed", with(VALID_AUTHORIZATION, "cardId", "4111111111111111"), "cardId"),
                arguments("currency unknown", with(VALID_AUTHORIZATION, "currency", "XXX"), "currency"),
                arguments("amount too precise", with(VALID_AUTHORIZATION, "amount", "35.901"), "amount"),
                arguments("category of 5 digits", with(VALID_AUTHORIZATION, "merchantCategoryCode", "54111"),
                        "merchantCategoryCode"),
                arguments("category missing", with(VALID_AUTHORIZATION, "merchantCategoryCode", null),
                        "merchantCategoryCode"),
                arguments("country unknown", with(VALID_AUTHORIZATION, "merchantCountry", "XX"), "merchantCountry"),
                arguments("country missing", with(VALID_AUTHORIZATION, "merchantCountry", null), "merchantCountry"),
                arguments("network reference missing", with(VALID_AUTHORIZATION, "networkReference", null),
                        "networkReference"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAuthorizations")
    void shouldRefuseAuthorizationFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        assertThat(TestBodies.refusedFields(validator.validateAuthorization(body))).containsExactly(field);
        assertThat(TestBodies.messages(validator.validateAuthorization(body))).doesNotContain("4111111111111111");
    }
}
