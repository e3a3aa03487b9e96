package dev.ngao.ingest.cip;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RouteHarness.class)
class CipRoutesTest {

    private static final String BODY = """
            {"documentType": "DNI", "documentNumber": "45678912", "email": "ana.quispe@example.pe",
             "phone": "+51987654321", "amount": "150.50", "expiresIn": "PT48H", "merchantReference": "order-77"}""";

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldCreateCipWithCodeAndExpiryInUtcAndLimaTime() {
        // When a CIP is created
        Instant before = Instant.now();
        HttpResponse<String> response = api.callAcknowledged(api.payments, "POST", "/v1/cip-payments",
                Set.of(Scopes.PAYMENTS_WRITE), JSON, BODY);

        // Then the payer's code and its expiry come back, in UTC and as Lima's clock shows it
        assertThat(response.statusCode()).isEqualTo(201);
        JsonObject body = new JsonObject(response.body());
        JsonObject cip = body.getJsonObject("cip");
        assertThat(cip.getString("code")).matches("[1-9][0-9]{17}");
        assertThat(CipCodes.isWellFormed(cip.getString("code"))).isTrue();
        Instant expiresAt = Instant.parse(cip.getString("expiresAt"));
        assertThat(Duration.between(before, expiresAt)).isBetween(Duration.ofHours(48).minusSeconds(2),
                Duration.ofHours(48).plusSeconds(5));
        assertThat(cip.getString("expiresAtLocal")).endsWith("-05:00");
        assertThat(OffsetDateTime.parse(cip.getString("expiresAtLocal")).toInstant()).isEqualTo(expiresAt);
        assertThat(cip.getString("timeZone")).isEqualTo("America/Lima");
        assertThat(body.getString("amount")).isEqualTo("150.50");
        assertThat(body.getString("currency")).isEqualTo("PEN");
        assertThat(response.body()).doesNotContain("45678912", "quispe", "987654321");
        String transactionId = body.getString("transactionId");
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/payments/" + transactionId);

        // And the event is keyed by the payer's hashed DNI and carries the same code
        PaymentRequest event = api.payments.history().get(0).value();
        assertThat(api.payments.history().get(0).key()).isEqualTo(api.pii.hash("dni", "45678912"));
        assertThat(event.getCip().getPaymentCode()).isEqualTo(cip.getString("code"));
        assertThat(event.getCip().getExpiresAt()).isEqualTo(expiresAt);

        // And its status shows the code and the expiry
        HttpResponse<String> status = api.call("GET", "/v1/payments/" + transactionId, Set.of(Scopes.PAYMENTS_READ),
                null, null);
        JsonObject statusCip = new JsonObject(status.body()).getJsonObject("cip");
        assertThat(statusCip.getString("code")).isEqualTo(cip.getString("code"));
        assertThat(statusCip.getString("expiresAt")).isEqualTo(cip.getString("expiresAt"));
        assertThat(statusCip.getString("expiresAtLocal")).isEqualTo(cip.getString("expiresAtLocal"));
        assertThat(new JsonObject(status.body()).getString("type")).isEqualTo("CIP_PAYMENT");
        assertThat(status.body()).doesNotContain("45678912", "quispe", "987654321");
    }

    @Test
    void shouldAnswer422WithoutEchoingPersonalDataWhenFieldsAreInvalid() {
        HttpResponse<String> response = api.call("POST", "/v1/cip-payments", Set.of(Scopes.PAYMENTS_WRITE), JSON,
                BODY.replace("45678912", "4567891X").replace("ana.quispe@example.pe", "ana.quispe")
                        .replace("}", ", \"currency\": \"USD\", \"extra\": 1}"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(response.body()).getJsonArray("errors").stream()
                .map(error -> ((JsonObject) error).getString("field")).toList())
                .containsExactlyInAnyOrder("documentNumber", "email", "currency", "extra");
        assertThat(response.body()).doesNotContain("4567891X", "ana.quispe");
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldAnswer400And415LikeEveryJsonRoute() {
        assertThat(api.call("POST", "/v1/cip-payments", Set.of(Scopes.PAYMENTS_WRITE), JSON, "{\"a\": ").statusCode())
                .isEqualTo(400);
        assertThat(api.call("POST", "/v1/cip-payments", Set.of(Scopes.PAYMENTS_WRITE), "text/plain", BODY).statusCode())
                .isEqualTo(415);
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayTheFirstCipWithoutSecondEvent() {
        // When a CIP is posted without a key, then with one, then retried with the same key and body
        HttpResponse<String> first = api.assertIdempotent(api.payments, "POST", "/v1/cip-payments",
                Set.of(Scopes.PAYMENTS_WRITE), JSON, BODY);

        // Then only one code was made: the retry got the first one (assertIdempotent checks the rest)
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).doesNotContain("45678912", "quispe", "987654321");
    }
}
