package dev.ngao.ingest.payment;

import dev.ngao.ingest.http.FieldError;
import dev.ngao.events.PaymentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentRequestValidatorTest {

    private static final String MSISDN = "+254712345678";

    private final PaymentRequestValidator validator = new PaymentRequestValidator();

    @Test
    void shouldAcceptValidBodyWithAmountInMinorUnits() {
        // Given a complete, valid collection request
        Map<String, Object> body = validBody();

        // When it is validated
        PaymentRequestValidator.Result result = validator.validate(body);

        // Then it is valid and the amount is in KES cents
        assertThat(result).isInstanceOf(PaymentRequestValidator.Valid.class);
        ValidPaymentRequest request = ((PaymentRequestValidator.Valid) result).request();
        assertThat(request.type()).isEqualTo(PaymentType.MOBILE_MONEY_COLLECTION);
        assertThat(request.amountMinor()).isEqualTo(150_050L);
        assertThat(request.currency()).isEqualTo("KES");
        assertThat(request.msisdn()).isEqualTo(MSISDN);
        assertThat(request.operator()).isEqualTo(MobileMoneyOperator.MPESA);
        assertThat(request.country()).isEqualTo("KE");
        assertThat(request.merchantReference()).isEqualTo("order-42.a_b");
        assertThat(request.toString()).doesNotContain(MSISDN);
    }

    @Test
    void shouldAcceptPayoutInCurrencyWithoutMinorUnitsWhenAmountIsWhole() {
        // Given a payout in Ugandan shillings, which have no minor unit
        Map<String, Object> body = with(with(with(with(validBody(), "type", "MOBILE_MONEY_PAYOUT"),
                "currency", "UGX"), "amount", "25000"), "operator", "MTN_MOMO");

        // When it is validated
        PaymentRequestValidator.Result result = validator.validate(body);

        // Then the amount is taken as whole shillings
        assertThat(result).isInstanceOf(PaymentRequestValidator.Valid.class);
        assertThat(((PaymentRequestValidator.Valid) result).request().amountMinor()).isEqualTo(25_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"254712345678", "+2547", "+0712345678", "+254 712 345 678", "+2547123456789012", "tel:+254712345678"})
    void shouldRefuseMsisdnWhenNotE164(String msisdn) {
        assertRefusedWithoutEcho(with(validBody(), "msisdn", msisdn), "msisdn", msisdn);
    }

    @Test
    void shouldRefuseOperatorWhenUnknown() {
        assertRefused(with(validBody(), "operator", "SAFARICOM_X"), "operator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XX", "ke", "KEN", ""})
    void shouldRefuseCountryWhenNotIsoAlpha2(String country) {
        assertRefused(with(validBody(), "country", country), "country");
    }

    @Test
    void shouldRefuseAmountWhenMoreDecimalsThanKesAllows() {
        List<FieldError> errors = assertRefused(with(validBody(), "amount", "1500.505"), "amount");
        assertThat(errors.get(0).message()).contains("KES");
    }

    @Test
    void shouldRefuseAmountWhenAnyDecimalsForUgx() {
        assertRefused(with(with(validBody(), "currency", "UGX"), "amount", "2500.5"), "amount");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-10", "-0.01", "1e3", "", "12,50", " 10"})
    void shouldRefuseAmountWhenNotPositiveDecimalText(String amount) {
        assertRefused(with(validBody(), "amount", amount), "amount");
    }

    @Test
    void shouldRefuseAmountWhenGivenAsJsonNumber() {
        // Given the amount as a number, which a JSON parser may have turned into a double
        List<FieldError> errors = assertRefused(with(validBody(), "amount", 1500.50), "amount");

        // Then the caller is told to send a string
        assertThat(errors.get(0).message()).contains("string");
    }

    @Test
    void shouldRefuseAmountWhenGivenAsJsonInteger() {
        assertRefused(with(validBody(), "amount", 1500), "amount");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABC", "kes", "XXX", "KESS", ""})
    void shouldRefuseCurrencyWhenUnknown(String currency) {
        assertRefused(with(validBody(), "currency", currency), "currency");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "order 42", "order/42", "ordre-ü",
            "12345678901234567890123456789012345678901234567890123456789012345"})
    void shouldRefuseMerchantReferenceWhenOutsideAlphabetOrLength(String reference) {
        assertRefused(with(validBody(), "merchantReference", reference), "merchantReference");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CARD_AUTHORIZATION", "REFUND", "mobile_money_collection", "PAYMENT"})
    void shouldRefuseTypeWhenNotMobileMoney(String type) {
        assertRefused(with(validBody(), "type", type), "type");
    }

    @Test
    void shouldReportEveryMissingFieldWhenBodyIsEmpty() {
        // Given an empty object
        PaymentRequestValidator.Result result = validator.validate(Map.of());

        // Then every required field is named
        assertThat(result).isInstanceOf(PaymentRequestValidator.Invalid.class);
        assertThat(((PaymentRequestValidator.Invalid) result).errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("type", "amount", "currency", "msisdn", "operator", "country",
                        "merchantReference");
    }

    @Test
    void shouldReportSeveralFieldsAtOnceWhenSeveralAreInvalid() {
        // Given a body with a bad msisdn and a bad country
        Map<String, Object> body = with(with(validBody(), "msisdn", "12"), "country", "ZZ");

        // When it is validated
        PaymentRequestValidator.Result result = validator.validate(body);

        // Then both fields are reported, and only them
        assertThat(((PaymentRequestValidator.Invalid) result).errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("msisdn", "country");
    }

    @Test
    void shouldRefuseFieldWhenNotString() {
        assertRefused(with(validBody(), "msisdn", 254712345678L), "msisdn");
    }

    private List<FieldError> assertRefused(Map<String, Object> body, String field) {
        PaymentRequestValidator.Result result = validator.validate(body);
        assertThat(result).isInstanceOf(PaymentRequestValidator.Invalid.class);
        List<FieldError> errors = ((PaymentRequestValidator.Invalid) result).errors();
        assertThat(errors).extracting(FieldError::field).containsExactly(field);
        return errors;
    }

    private void assertRefusedWithoutEcho(Map<String, Object> body, String field, String value) {
        List<FieldError> errors = assertRefused(body, field);
        assertThat(errors.get(0).message()).doesNotContain(value);
    }

    static Map<String, Object> validBody() {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "MOBILE_MONEY_COLLECTION");
        body.put("amount", "1500.50");
        body.put("currency", "KES");
        body.put("msisdn", MSISDN);
        body.put("operator", "MPESA");
        body.put("country", "KE");
        body.put("merchantReference", "order-42.a_b");
        return body;
    }

    @Test
    void shouldAcceptPayerSignalsNormalisedWhenGiven() {
        // Given a valid body with a payer object
        Map<String, Object> body = with(validBody(), "payer", Map.of("ip", "203.0.113.7", "ipCountry", "KE",
                "deviceFingerprint", "device-000042", "email", "Wanjiru@Example.CO.KE", "documentType", "PASSPORT",
                "documentNumber", "AK1234567", "timeZone", "Africa/Nairobi"));

        // When it is validated
        PaymentRequestValidator.Result result = validator.validate(body);

        // Then the request carries the payer, its email in lower case
        assertThat(result).isInstanceOf(PaymentRequestValidator.Valid.class);
        ValidPaymentRequest request = ((PaymentRequestValidator.Valid) result).request();
        assertThat(request.payer().email()).isEqualTo("wanjiru@example.co.ke");
        assertThat(request.payer().ip()).isEqualTo("203.0.113.7");
        assertThat(request.payer().timeZone()).isEqualTo("Africa/Nairobi");
        assertThat(request.toString()).doesNotContain("anjiru", "AK1234567", "device-000042", "203.0.113.7");
    }

    @Test
    void shouldHaveNoPayerWhenBodyHasNone() {
        PaymentRequestValidator.Result result = validator.validate(validBody());

        assertThat(((PaymentRequestValidator.Valid) result).request().payer()).isNull();
    }

    @Test
    void shouldRefusePayerFieldsBesideTheOthersWithoutEchoingThem() {
        // Given a body with an invalid amount and an invalid, unknown-field payer
        Map<String, Object> body = with(with(validBody(), "amount", "1.001"), "payer",
                Map.of("email", "not-an-email", "ip", "10.0.0.999", "msisdn", MSISDN));

        // When it is validated
        PaymentRequestValidator.Result result = validator.validate(body);

        // Then every error is reported at once, the payer's under payer., none repeating a value
        assertThat(result).isInstanceOf(PaymentRequestValidator.Invalid.class);
        List<FieldError> errors = ((PaymentRequestValidator.Invalid) result).errors();
        assertThat(errors).extracting(FieldError::field)
                .containsExactlyInAnyOrder("amount", "payer.email", "payer.ip", "payer.msisdn");
        assertThat(errors.toString()).doesNotContain("not-an-email", "10.0.0.999", "712345678");
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(field, value);
        return copy;
    }
}
