package dev.ngao.ingest.payer;

import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.pii.DocumentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PayerFieldsTest {

    private static Map<String, Object> fullPayer() {
        Map<String, Object> payer = new HashMap<>();
        payer.put("ip", "2001:DB8::0:7");
        payer.put("ipCountry", "KE");
        payer.put("deviceFingerprint", "dfp_3a9c:77e1.b2");
        payer.put("email", "Ana.Quispe@Example.PE");
        payer.put("documentType", "DNI");
        payer.put("documentNumber", "45678912");
        payer.put("timeZone", "America/Lima");
        return payer;
    }

    private static FieldReader body(Object payer) {
        Map<String, Object> body = new HashMap<>();
        body.put("payer", payer);
        return FieldReader.of(body);
    }

    private static FieldReader bodyWith(String field, Object value) {
        Map<String, Object> payer = fullPayer();
        payer.put(field, value);
        return body(payer);
    }

    @Test
    void shouldReadEveryFieldNormalisedWhenPayerIsValid() {
        // Given a body whose payer object gives every signal
        FieldReader body = body(fullPayer());

        // When it is read
        Payer payer = PayerFields.read(body);

        // Then the IP is in canonical text, the email in lower case, the rest as given
        assertThat(body.errors()).isEmpty();
        assertThat(payer.ip()).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(payer.ipCountry()).isEqualTo("KE");
        assertThat(payer.deviceFingerprint()).isEqualTo("dfp_3a9c:77e1.b2");
        assertThat(payer.email()).isEqualTo("ana.quispe@example.pe");
        assertThat(payer.documentType()).isEqualTo(DocumentType.DNI);
        assertThat(payer.documentNumber()).isEqualTo("45678912");
        assertThat(payer.timeZone()).isEqualTo("America/Lima");
        // And a stray log of it prints no personal value
        assertThat(payer.toString()).doesNotContain("2001", "dfp_", "quispe", "Quispe", "45678912");
    }

    @Test
    void shouldGiveNoPayerWhenObjectIsAbsentOrEmpty() {
        FieldReader absent = FieldReader.of(Map.of());
        FieldReader empty = body(Map.of());

        assertThat(PayerFields.read(absent)).isNull();
        assertThat(PayerFields.read(empty)).isNull();
        assertThat(absent.errors()).isEmpty();
        assertThat(empty.errors()).isEmpty();
    }

    @Test
    void shouldAcceptAnyOneSignalAlone() {
        FieldReader body = body(Map.of("ip", "203.0.113.7"));

        Payer payer = PayerFields.read(body);

        assertThat(body.errors()).isEmpty();
        assertThat(payer).isEqualTo(new Payer("203.0.113.7", null, null, null, null, null, null));
    }

    @Test
    void shouldMakeIpv4MappedIpv6AddressItsIpv4Address() {
        Payer payer = PayerFields.read(bodyWith("ip", "::ffff:203.0.113.7"));

        assertThat(payer.ip()).isEqualTo("203.0.113.7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.256", "203.0.113", "example.com", "localhost", "203.0.113.7/24",
            "2001:db8::7%eth0", "01.2.3.4", "", "2001:db8:0:0:0:0:0:0:7"})
    void shouldRefuseIpWhenNotAnAddressLiteral(String ip) {
        assertRefused(bodyWith("ip", ip), "payer.ip", ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ke", "XX", "KEN", ""})
    void shouldRefuseIpCountryWhenNotIsoAlpha2(String country) {
        assertRefused(bodyWith("ipCountry", country), "payer.ipCountry", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "has space in it", "semi;colon-device", "ñandú-device-01"})
    void shouldRefuseDeviceFingerprintWhenOutsideAlphabetOrTooShort(String device) {
        assertRefused(bodyWith("deviceFingerprint", device), "payer.deviceFingerprint", device);
    }

    @Test
    void shouldRefuseDeviceFingerprintLongerThan128Characters() {
        assertThat(PayerFields.read(bodyWith("deviceFingerprint", "d".repeat(128)))).isNotNull();
        assertRefused(bodyWith("deviceFingerprint", "d".repeat(129)), "payer.deviceFingerprint", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ana.quispe", "ana@", "@example.pe", "ana quispe@example.pe", "ana@example"})
    void shouldRefuseEmailWhenNotAnAddress(String email) {
        assertRefused(bodyWith("email", email), "payer.email", email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+05:00", "UTC+3", "America/Atlantis", "america/lima", "Europe/London "})
    void shouldRefuseTimeZoneWhenNotAnIanaRegion(String zone) {
        assertRefused(bodyWith("timeZone", zone), "payer.timeZone", null);
    }

    @Test
    void shouldRefuseDocumentNumberInTheFormatOfItsType() {
        FieldReader ceWithDniNumber = bodyWith("documentType", "CE");

        assertRefused(ceWithDniNumber, "payer.documentNumber", "45678912");
        assertThat(ceWithDniNumber.errors().get(0).message()).isEqualTo(DocumentType.CE.rule());
    }

    @Test
    void shouldRequireDocumentTypeAndNumberTogether() {
        Map<String, Object> numberOnly = fullPayer();
        numberOnly.remove("documentType");
        Map<String, Object> typeOnly = fullPayer();
        typeOnly.remove("documentNumber");

        assertRefused(body(numberOnly), "payer.documentType", "45678912");
        assertRefused(body(typeOnly), "payer.documentNumber", null);
    }

    @Test
    void shouldRefuseUnknownDocumentType() {
        assertRefused(bodyWith("documentType", "DRIVING_LICENCE"), "payer.documentType", null);
    }

    @Test
    void shouldRefuseUnknownFieldAndNonStringValues() {
        FieldReader unknown = bodyWith("phone", "+51987654321");
        FieldReader number = bodyWith("ip", 2130706433);

        assertRefused(unknown, "payer.phone", "+51987654321");
        assertRefused(number, "payer.ip", null);
    }

    @Test
    void shouldNotEchoAnUnknownFieldNameThatLooksLikePersonalDataAndBoundHowManyAreNamed() {
        // Given a payer object whose unknown keys are an email, a phone, and a thousand more
        Map<String, Object> payer = new HashMap<>();
        payer.put("ana@example.com", 1);
        payer.put("+254712345678", 1);
        for (int i = 0; i < 1_000; i++) {
            payer.put("extra" + i, i);
        }
        FieldReader body = body(payer);

        // When it is read
        assertThat(PayerFields.read(body)).isNull();

        // Then the personal-looking names are reported unnamed, and at most ten names are reported at all
        assertThat(body.errors()).hasSizeLessThanOrEqualTo(FieldReader.MAXIMUM_UNKNOWN_FIELDS_REPORTED)
                .extracting(FieldError::field).contains("payer." + FieldReader.UNPRINTABLE_FIELD);
        assertThat(body.errors().toString()).doesNotContain("ana@example.com", "712345678");
    }

    @Test
    void shouldRefusePayerWhenNotAnObject() {
        assertRefused(body("203.0.113.7"), "payer", "203.0.113.7");
        assertRefused(body(List.of(fullPayer())), "payer", null);
    }

    @Test
    void shouldReportEveryInvalidFieldAtOnce() {
        Map<String, Object> payer = fullPayer();
        payer.put("ip", "999.1.1.1");
        payer.put("email", "nobody");
        payer.put("timeZone", "Mars/Olympus");
        FieldReader body = body(payer);

        assertThat(PayerFields.read(body)).isNull();
        assertThat(body.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("payer.ip", "payer.email", "payer.timeZone");
    }

    @Test
    void shouldRefuseEmailAndDocumentWhenTheBodyHasItsOwn() {
        // Given a CIP body, whose document and email are its own top-level fields
        FieldReader body = body(fullPayer());

        // When its payer object is read without identity fields
        Payer payer = PayerFields.readWithoutIdentity(body);

        // Then email and document in the payer object are unknown fields there
        assertThat(payer).isNull();
        assertThat(body.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("payer.email", "payer.documentType", "payer.documentNumber");
    }

    @Test
    void shouldReadIpDeviceCountryAndZoneWithoutIdentity() {
        FieldReader body = body(Map.of("ip", "203.0.113.7", "ipCountry", "PE", "deviceFingerprint", "device-000001",
                "timeZone", "America/Lima"));

        Payer payer = PayerFields.readWithoutIdentity(body);

        assertThat(body.errors()).isEmpty();
        assertThat(payer).isEqualTo(new Payer("203.0.113.7", "PE", "device-000001", null, null, null,
                "America/Lima"));
    }

    /** Exactly one error, on {@code field}, whose message does not repeat {@code value}; no payer. */
    private static void assertRefused(FieldReader body, String field, String value) {
        assertThat(PayerFields.read(body)).isNull();
        assertThat(body.errors()).extracting(FieldError::field).containsExactly(field);
        if (value != null && !value.isEmpty()) {
            assertThat(body.errors().get(0).message()).doesNotContain(value);
        }
    }
}
