package dev.ngao.ingest.payer;

import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.events.RiskSignals;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.list.ListEntries;
import dev.ngao.ingest.list.ListEntryRequest;
import dev.ngao.ingest.list.ListEntryValidator;
import dev.ngao.ingest.pii.DocumentType;
import dev.ngao.platform.pii.PiiProtector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PayerSignalsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    private final PiiProtector pii = new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8));
    private final PayerSignals signals = new PayerSignals(pii);

    @Test
    void shouldCarryIpAndCountryInClearAndTheRestOnlyHashed() {
        // Given a payer with every signal
        Payer payer = new Payer("203.0.113.7", "KE", "device-0001-abc", "ana@example.pe", DocumentType.DNI,
                "45678912", "Africa/Nairobi");

        // When it becomes the payment's signals
        RiskSignals risk = signals.of(payer);

        // Then IP, country and zone are in clear, device, email and DNI keyed hashes in their dimensions
        assertThat(risk.getClientIp()).isEqualTo("203.0.113.7");
        assertThat(risk.getIpCountry()).isEqualTo("KE");
        assertThat(risk.getTimeZone()).isEqualTo("Africa/Nairobi");
        assertThat(risk.getDeviceHash()).isEqualTo(pii.hash("device", "device-0001-abc"));
        assertThat(risk.getEmailHash()).isEqualTo(pii.hash("email", "ana@example.pe"));
        assertThat(risk.getDocumentHash()).isEqualTo(pii.hash("dni", "45678912"));
        assertThat(risk.toString()).doesNotContain("device-0001-abc", "ana@example.pe", "45678912");
    }

    @Test
    void shouldHashOtherDocumentsInTheirOwnDimensions() {
        Payer ce = new Payer(null, null, null, null, DocumentType.CE, "123456789", null);
        Payer passport = new Payer(null, null, null, null, DocumentType.PASSPORT, "AB1234567", null);

        assertThat(signals.of(ce).getDocumentHash()).isEqualTo(pii.hash("ce", "123456789"));
        assertThat(signals.of(passport).getDocumentHash()).isEqualTo(pii.hash("passport", "AB1234567"));
    }

    @Test
    void shouldLeaveUnsignalledFieldsNullAndGiveNoSignalsWithoutPayer() {
        RiskSignals onlyZone = signals.of(new Payer(null, null, null, null, null, null, "America/Lima"));

        assertThat(onlyZone.getTimeZone()).isEqualTo("America/Lima");
        assertThat(onlyZone.getClientIp()).isNull();
        assertThat(onlyZone.getDeviceHash()).isNull();
        assertThat(onlyZone.getEmailHash()).isNull();
        assertThat(onlyZone.getDocumentHash()).isNull();
        assertThat(signals.of(null)).isNull();
    }

    @Test
    void shouldMeetListEntriesOfTheSameValuesAsMerchantsSendThem() {
        // Given one payer's values as a merchant sends them in a payment, and block-list entries of the same
        // person typed differently (case of the email, spelling of the IPv6 address)
        FieldReader body = FieldReader.of(Map.of("payer", Map.of(
                "ip", "2001:DB8:0::7",
                "email", "Ana.Quispe@Example.PE",
                "deviceFingerprint", "fp:7c2e-99.a",
                "documentType", "DNI",
                "documentNumber", "45678912")));
        RiskSignals risk = signals.of(PayerFields.read(body));

        // When each value is listed through the list route's own validation
        ListEntryChange email = listed("EMAIL", "ana.quispe@EXAMPLE.pe");
        ListEntryChange device = listed("DEVICE", "fp:7c2e-99.a");
        ListEntryChange dni = listed("DNI", "45678912");
        ListEntryChange ip = listed("IP", "2001:db8::7");

        // Then the payment's hashes are the entries' hashes, and its IP the entry's value
        assertThat(risk.getEmailHash()).isEqualTo(email.getValueHash());
        assertThat(risk.getDeviceHash()).isEqualTo(device.getValueHash());
        assertThat(risk.getDocumentHash()).isEqualTo(dni.getValueHash());
        assertThat(risk.getClientIp()).isEqualTo(ip.getValue());
    }

    private ListEntryChange listed(String dimension, String value) {
        Validation<ListEntryRequest> validation = new ListEntryValidator(CLOCK).validate(Map.of(
                "dimension", dimension, "value", value, "reason", "fraud ring"));
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        ListEntryRequest request = ((Validation.Valid<ListEntryRequest>) validation).value();
        return new ListEntries(pii, CLOCK).added("merchant-a", ListKind.BLOCK, request, "key-a");
    }
}
