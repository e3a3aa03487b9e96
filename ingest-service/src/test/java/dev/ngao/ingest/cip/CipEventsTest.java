package dev.ngao.ingest.cip;

import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskSignals;
import dev.ngao.ingest.payer.Payer;
import dev.ngao.ingest.pii.DocumentType;
import dev.ngao.platform.pii.PiiProtector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class CipEventsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123456Z");
    private final PiiProtector pii = new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8));
    private final CipEvents events = new CipEvents(pii, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldCountPayerOnHashedDocumentAndCarryNoPersonalValueInClear() {
        // Given a valid CIP request
        ValidCipRequest request = new ValidCipRequest(DocumentType.DNI, "45678912", "Ana.Quispe@example.pe",
                "+51987654321", 15_050L, "PEN", Instant.parse("2026-03-03T10:00:00Z"), "order-77", null);

        // When its event is made
        PaymentRequest event = events.create("txn_1", "123456789012345678", request, "merchant-a", "key-a");

        // Then the payer is a customer account keyed by the DNI's keyed hash
        assertThat(event.getType()).isEqualTo(PaymentType.CIP_PAYMENT);
        assertThat(event.getAccountKind()).isEqualTo(AccountKind.CUSTOMER);
        assertThat(event.getAccountId()).isEqualTo(pii.hash("dni", "45678912"));
        assertThat(event.getCip().getDocumentHash()).isEqualTo(event.getAccountId());
        assertThat(event.getCip().getDocumentMasked()).isEqualTo("*****912");
        // And email and phone are hashed (email case-insensitively, phone as an MSISDN) and masked
        assertThat(event.getCip().getEmailHash()).isEqualTo(pii.hash("email", "ana.quispe@example.pe"));
        assertThat(event.getCip().getEmailMasked()).isEqualTo("A*********@example.pe");
        assertThat(event.getCip().getPhoneHash()).isEqualTo(pii.hash("msisdn", "+51987654321"));
        assertThat(event.getCip().getPhoneMasked()).isEqualTo("+5198*****21");
        assertThat(event.getCip().getPaymentCode()).isEqualTo("123456789012345678");
        assertThat(event.getCip().getExpiresAt()).isEqualTo(Instant.parse("2026-03-03T10:00:00Z"));
        assertThat(event.getAmount().getAmountMinor()).isEqualTo(15_050L);
        assertThat(event.getProvider()).isEqualTo(CipEvents.PROVIDER);
        assertThat(event.getRequestedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
        // And nowhere in the event is a personal value in clear
        assertThat(event.toString()).doesNotContain("45678912", "Quispe", "quispe", "987654321");
        assertThat(event.getMobileMoney()).isNull();
    }

    @Test
    void shouldFillSignalsWithTheCipDocumentAndEmailHashesAndLimaTimeWhenNoPayerObjectIsGiven() {
        // Given a CIP request without a payer object
        ValidCipRequest request = new ValidCipRequest(DocumentType.CE, "123456789", "Ana.Quispe@example.pe",
                "+51987654321", 15_050L, "PEN", Instant.parse("2026-03-03T10:00:00Z"), "order-78", null);

        // When its event is made
        PaymentRequest event = events.create("txn_2", "123456789012345678", request, "merchant-a", "key-a");

        // Then the signals carry the same document and email hashes as the CIP details, the CE in its own dimension
        RiskSignals signals = event.getSignals();
        assertThat(signals.getDocumentHash()).isEqualTo(event.getCip().getDocumentHash())
                .isEqualTo(pii.hash("ce", "123456789"));
        assertThat(signals.getEmailHash()).isEqualTo(event.getCip().getEmailHash());
        // And the payer's clock is Lima's; nothing else was told
        assertThat(signals.getTimeZone()).isEqualTo("America/Lima");
        assertThat(signals.getClientIp()).isNull();
        assertThat(signals.getIpCountry()).isNull();
        assertThat(signals.getDeviceHash()).isNull();
    }

    @Test
    void shouldAddPayerIpDeviceAndZoneToTheCipSignals() {
        // Given a CIP request whose payer object gives IP, its country, a device and a zone
        Payer payer = new Payer("2001:db8:0:0:0:0:0:7", "CL", "dev-0001-abcdef", null, null, null, "America/Santiago");
        ValidCipRequest request = new ValidCipRequest(DocumentType.DNI, "45678912", "ana@example.pe",
                "+51987654321", 15_050L, "PEN", Instant.parse("2026-03-03T10:00:00Z"), "order-79", payer);

        // When its event is made
        RiskSignals signals = events.create("txn_3", "123456789012345678", request, "merchant-a", "key-a")
                .getSignals();

        // Then the payer's signals are there, the device hashed, the zone the payer's own
        assertThat(signals.getClientIp()).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(signals.getIpCountry()).isEqualTo("CL");
        assertThat(signals.getDeviceHash()).isEqualTo(pii.hash("device", "dev-0001-abcdef"));
        assertThat(signals.getTimeZone()).isEqualTo("America/Santiago");
        assertThat(signals.getDocumentHash()).isEqualTo(pii.hash("dni", "45678912"));
        assertThat(signals.toString()).doesNotContain("dev-0001-abcdef", "45678912", "ana@");
    }
}
