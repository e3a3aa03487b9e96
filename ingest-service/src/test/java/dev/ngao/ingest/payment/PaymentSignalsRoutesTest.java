package dev.ngao.ingest.payment;

import dev.ngao.events.ListEntryChange;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskSignals;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Set;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** The payer object of POST /v1/payments and POST /v1/cip-payments, through the routes to the events they write. */
@ExtendWith(RouteHarness.class)
class PaymentSignalsRoutesTest {

    private static final Set<String> PAYMENTS = Set.of(Scopes.PAYMENTS_WRITE);
    private static final Set<String> LISTS = Set.of(Scopes.LISTS_WRITE);
    private static final String PAYMENT = """
            {"type": "MOBILE_MONEY_COLLECTION", "amount": "1500.50", "currency": "KES", "msisdn": "+254712345678",
             "operator": "MPESA", "country": "KE", "merchantReference": "order-42", "payer": %s}""";
    private static final String PAYER = """
            {"ip": "2001:0db8:0000::0042", "ipCountry": "UG", "deviceFingerprint": "ios-5F2A-77.c1",
             "email": "Wanjiru.Kamau@Example.co.ke", "documentType": "DNI", "documentNumber": "45678912",
             "timeZone": "Africa/Nairobi"}""";
    private static final String CIP = """
            {"documentType": "DNI", "documentNumber": "45678912", "email": "wanjiru.kamau@example.co.ke",
             "phone": "+51987654321", "amount": "150.50", "expiresIn": "PT48H", "merchantReference": "order-77",
             "payer": {"ip": "198.51.100.20", "deviceFingerprint": "ios-5F2A-77.c1"}}""";

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldPutPayerSignalsOnThePaymentRequestOnlyHashedExceptIpAndCountry() {
        // When a payment with a payer object is accepted
        HttpResponse<String> response = api.callAcknowledged(api.payments, "POST", "/v1/payments", PAYMENTS, JSON,
                PAYMENT.formatted(PAYER));

        // Then its event carries the signals: IP canonical and country in clear, the rest as keyed hashes
        assertThat(response.statusCode()).isEqualTo(202);
        PaymentRequest event = api.payments.history().get(0).value();
        RiskSignals signals = event.getSignals();
        assertThat(signals.getClientIp()).isEqualTo("2001:db8:0:0:0:0:0:42");
        assertThat(signals.getIpCountry()).isEqualTo("UG");
        assertThat(signals.getTimeZone()).isEqualTo("Africa/Nairobi");
        assertThat(signals.getDeviceHash()).isEqualTo(api.pii.hash("device", "ios-5F2A-77.c1"));
        assertThat(signals.getEmailHash()).isEqualTo(api.pii.hash("email", "wanjiru.kamau@example.co.ke"));
        assertThat(signals.getDocumentHash()).isEqualTo(api.pii.hash("dni", "45678912"));
        assertThat(event.toString()).doesNotContain("ios-5F2A", "Wanjiru", "wanjiru", "45678912");
    }

    @Test
    void shouldHashPaymentCipAndListEntryOfOnePersonAlike() {
        // Given one person's email, device and DNI in a payment, in a CIP and in block-list entries
        api.callAcknowledged(api.payments, "POST", "/v1/payments", PAYMENTS, JSON, PAYMENT.formatted(PAYER));
        api.callAcknowledged(api.payments, "POST", "/v1/cip-payments", PAYMENTS, JSON, CIP);
        ListEntryChange email = listed("EMAIL", "WANJIRU.KAMAU@EXAMPLE.CO.KE");
        ListEntryChange device = listed("DEVICE", "ios-5F2A-77.c1");
        ListEntryChange dni = listed("DNI", "45678912");
        ListEntryChange ip = listed("IP", "2001:db8::42");

        // Then every signal of the payment and of the CIP equals the entry's hash (the IP the entry's value)
        RiskSignals payment = api.payments.history().get(0).value().getSignals();
        RiskSignals cip = api.payments.history().get(1).value().getSignals();
        assertThat(payment.getEmailHash()).isEqualTo(email.getValueHash()).isEqualTo(cip.getEmailHash());
        assertThat(payment.getDeviceHash()).isEqualTo(device.getValueHash()).isEqualTo(cip.getDeviceHash());
        assertThat(payment.getDocumentHash()).isEqualTo(dni.getValueHash()).isEqualTo(cip.getDocumentHash());
        assertThat(payment.getClientIp()).isEqualTo(ip.getValue());
        // And the CIP keeps its details and adds Lima as the payer's zone
        assertThat(cip.getDocumentHash()).isEqualTo(api.payments.history().get(1).value().getCip().getDocumentHash());
        assertThat(cip.getTimeZone()).isEqualTo("America/Lima");
        assertThat(cip.getClientIp()).isEqualTo("198.51.100.20");
    }

    @Test
    void shouldAnswer422NamingEachInvalidPayerFieldWithoutEchoingItAndWriteNothing() {
        // When a payment's payer has an invalid IP, email, zone and an unknown field
        HttpResponse<String> response = api.call("POST", "/v1/payments", PAYMENTS, JSON, PAYMENT.formatted("""
                {"ip": "300.1.2.3", "email": "wanjiru(at)example.co.ke", "timeZone": "GMT+3",
                 "phone": "+254799999999"}"""));

        // Then it is refused field by field, no value repeated, and nothing is written
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getJsonArray("errors").stream()
                .map(error -> ((JsonObject) error).getString("field")).toList())
                .containsExactlyInAnyOrder("payer.ip", "payer.email", "payer.timeZone", "payer.phone");
        assertThat(response.body()).doesNotContain("300.1.2.3", "wanjiru", "GMT+3", "799999999");
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldAnswer422WhenCipPayerRepeatsTheDocument() {
        HttpResponse<String> response = api.call("POST", "/v1/cip-payments", PAYMENTS, JSON,
                CIP.replace("\"payer\": {", "\"payer\": {\"documentType\": \"DNI\", \"documentNumber\": \"11112222\", "));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("payer.documentNumber").doesNotContain("11112222");
        assertThat(api.payments.history()).isEmpty();
    }

    private ListEntryChange listed(String dimension, String value) {
        int before = api.lists.history().size();
        HttpResponse<String> response = api.callAcknowledged(api.lists, "POST", "/v1/lists/block/entries", LISTS,
                JSON, new JsonObject().put("dimension", dimension).put("value", value).put("reason", "fraud ring")
                        .encode());
        assertThat(response.statusCode()).as(dimension).isEqualTo(201);
        return api.lists.history().get(before).value();
    }
}
