package dev.ngao.ingest.cip;

import dev.ngao.ingest.http.TestBodies;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.pii.DocumentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ngao.ingest.http.TestBodies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class CipRequestValidatorTest {

    /** 10:00 UTC is 05:00 in Lima. */
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Map<String, Object> VALID = TestBodies.parse("""
            {"documentType": "DNI", "documentNumber": "45678912", "email": "Ana.Quispe@example.pe",
             "phone": "+51987654321", "amount": "150.50", "currency": "PEN", "expiresIn": "PT48H",
             "merchantReference": "order-77"}""");

    private final CipRequestValidator validator = new CipRequestValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldAcceptWhenEveryFieldIsValid() {
        // When a complete body is validated
        ValidCipRequest request = TestBodies.valid(validator.validate(VALID));

        // Then the amount is in céntimos and the expiry 48 h from now, in UTC
        assertThat(request.documentType()).isEqualTo(DocumentType.DNI);
        assertThat(request.documentNumber()).isEqualTo("45678912");
        assertThat(request.amountMinor()).isEqualTo(15_050L);
        assertThat(request.currency()).isEqualTo("PEN");
        assertThat(request.expiresAt()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
        assertThat(request.merchantReference()).isEqualTo("order-77");
        assertThat(request.toString()).doesNotContain("45678912", "Quispe", "987654321");
    }

    @Test
    void shouldTakeCurrencyPenWhenCurrencyIsAbsent() {
        assertThat(TestBodies.valid(validator.validate(with(VALID, "currency", null))).currency()).isEqualTo("PEN");
    }

    @Test
    void shouldReadExpiresAtAsLimaLocalTimeAndStoreUtc() {
        // Given an expiry at 18:00 on the payer's clock in Lima (UTC-5)
        Map<String, Object> body = with(with(VALID, "expiresIn", null), "expiresAt", "2026-03-02T18:00:00");

        // Then it is 23:00 UTC
        assertThat(TestBodies.valid(validator.validate(body)).expiresAt()).isEqualTo(Instant.parse("2026-03-02T23:00:00Z"));
    }

    @Test
    void shouldAcceptCeAndPassportInTheirOwnFormats() {
        assertThat(validator.validate(with(with(VALID, "documentType", "CE"), "documentNumber", "001234567")))
                .isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(with(with(VALID, "documentType", "PASSPORT"), "documentNumber", "AB1234567")))
                .isInstanceOf(Validation.Valid.class);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                arguments("unknown field", with(VALID, "nickname", "x"), "nickname"),
                arguments("document type missing", with(VALID, "documentType", null), "documentType"),
                arguments("document type unknown", with(VALID, "documentType", "RUC"), "documentType"),
                arguments("document number missing", with(VALID, "documentNumber", null), "documentNumber"),
                arguments("DNI of 7 digits", with(VALID, "documentNumber", "4567891"), "documentNumber"),
                arguments("DNI of 9 digits", with(VALID, "documentNumber", "456789123"), "documentNumber"),
                arguments("DNI with a letter", with(VALID, "documentNumber", "4567891A"), "documentNumber"),
                arguments("DNI as a number", with(VALID, "documentNumber", 45678912), "documentNumber"),
                arguments("CE of 8 digits", with(with(VALID, "documentType", "CE"), "documentNumber", "45678912"),
                        "documentNumber"),
                arguments("passport in lower case", with(with(VALID, "documentType", "PASSPORT"), "documentNumber",
                        "ab12345"), "documentNumber"),
                arguments("passport too short", with(with(VALID, "documentType", "PASSPORT"), "documentNumber",
                        "AB123"), "documentNumber"),
                arguments("email missing", with(VALID, "email", null), "email"),
                arguments("email without domain", with(VALID, "email", "ana.quispe@"), "email"),
                arguments("email without dot in domain", with(VALID, "email", "ana@localhost"), "email"),
                arguments("phone missing", with(VALID, "phone", null), "phone"),
                arguments("phone without plus", with(VALID, "phone", "987654321"), "phone"),
                arguments("phone with spaces", with(VALID, "phone", "+51 987 654 321"), "phone"),
                arguments("currency other than PEN", with(VALID, "currency", "USD"), "currency"),
                arguments("amount missing", with(VALID, "amount", null), "amount"),
                arguments("amount as JSON number", with(VALID, "amount", 150.5), "amount"),
                arguments("amount with three decimals", with(VALID, "amount", "150.505"), "amount"),
                arguments("amount zero", with(VALID, "amount", "0.00"), "amount"),
                arguments("amount negative", with(VALID, "amount", "-1.00"), "amount"),
                arguments("no expiry", with(VALID, "expiresIn", null), "expiresIn"),
                arguments("both expiries", with(VALID, "expiresAt", "2026-03-02T18:00:00"), "expiresIn"),
                arguments("duration malformed", with(VALID, "expiresIn", "48 hours"), "expiresIn"),
                arguments("duration too short", with(VALID, "expiresIn", "PT10M"), "expiresIn"),
                arguments("duration too long", with(VALID, "expiresIn", "P31D"), "expiresIn"),
                arguments("duration negative", with(VALID, "expiresIn", "-PT48H"), "expiresIn"),
                arguments("local time with offset", with(with(VALID, "expiresIn", null), "expiresAt",
                        "2026-03-02T18:00:00-05:00"), "expiresAt"),
                arguments("local time in the past", with(with(VALID, "expiresIn", null), "expiresAt",
                        "2026-03-01T04:00:00"), "expiresAt"),
                arguments("local time malformed", with(with(VALID, "expiresIn", null), "expiresAt", "02/03/2026 18:00"),
                        "expiresAt"),
                arguments("merchant reference missing", with(VALID, "merchantReference", null), "merchantReference"),
                arguments("merchant reference with spaces", with(VALID, "merchantReference", "order 77"),
                        "merchantReference"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void shouldRefuseFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        // When an invalid body is validated
        Validation<ValidCipRequest> result = validator.validate(body);

        // Then exactly that field is refused, and no personal value is echoed
        assertThat(TestBodies.refusedFields(result)).containsExactly(field);
        assertThat(TestBodies.messages(result)).doesNotContain("45678912", "Quispe", "987654321", "4567891A");
    }

    @Test
    void shouldReportEveryRefusedFieldAtOnce() {
        Map<String, Object> body = with(with(with(VALID, "email", "nope"), "phone", "123"), "amount", "1.234");

        assertThat(TestBodies.refusedFields(validator.validate(body)))
                .containsExactlyInAnyOrder("email", "phone", "amount");
    }

    @Test
    void shouldAcceptExpiryAtTheBoundsWhenExactlyFifteenMinutesOrThirtyDays() {
        assertThat(validator.validate(with(VALID, "expiresIn", "PT15M"))).isInstanceOf(Validation.Valid.class);
        assertThat(validator.validate(with(VALID, "expiresIn", "P30D"))).isInstanceOf(Validation.Valid.class);
    }

    @Test
    void shouldAcceptPayerIpDeviceAndZone() {
        // Given a CIP body with a payer object of the signals a CIP body has no field for
        Map<String, Object> body = with(VALID, "payer", Map.of("ip", "198.51.100.20", "ipCountry", "PE",
                "deviceFingerprint", "android-7f3e99a0", "timeZone", "America/Lima"));

        // When it is validated
        ValidCipRequest request = TestBodies.valid(validator.validate(body));

        // Then the request carries them
        assertThat(request.payer().ip()).isEqualTo("198.51.100.20");
        assertThat(request.payer().ipCountry()).isEqualTo("PE");
        assertThat(request.payer().deviceFingerprint()).isEqualTo("android-7f3e99a0");
        assertThat(request.payer().timeZone()).isEqualTo("America/Lima");
        assertThat(TestBodies.valid(validator.validate(VALID)).payer()).isNull();
    }

    @Test
    void shouldRefusePayerEmailAndDocumentWhichTheBodyHasAtItsTop() {
        // Given a CIP body whose payer object names a second email and document
        Map<String, Object> body = with(VALID, "payer", Map.of("email", "other@example.pe", "documentType", "DNI",
                "documentNumber", "11112222", "timeZone", "Mars/Base"));

        // When it is validated
        Validation<ValidCipRequest> result = validator.validate(body);

        // Then they are unknown fields there, the zone is refused too, and no value is echoed
        assertThat(TestBodies.refusedFields(result)).containsExactlyInAnyOrder("payer.email", "payer.documentType",
                "payer.documentNumber", "payer.timeZone");
        assertThat(TestBodies.messages(result)).doesNotContain("other@example.pe", "11112222", "Mars");
    }
}
