package dev.ngao.ingest.refund;

import dev.ngao.events.AccountKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RouteHarness.class)
class RefundRoutesTest {

    private static final String ORIGINAL = "txn_00000000000000000000000000000001";
    private static final Set<String> REFUNDS = Set.of(Scopes.REFUNDS_WRITE);

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldWriteRefundOnTheOriginalsAccountWhenAccepted() {
        // Given an approved collection of 1500.00 KES
        PaymentRequest original = api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);

        // When 500.00 of it is refunded
        HttpResponse<String> response = api.callAcknowledged(api.payments, "POST", "/v1/refunds", REFUNDS, JSON,
                body("500.00", "KES"));

        // Then the refund is accepted and written against the original's account
        assertThat(response.statusCode()).isEqualTo(202);
        PaymentRequest refund = api.payments.history().get(0).value();
        assertThat(api.payments.history().get(0).key()).isEqualTo(original.getAccountId());
        assertThat(refund.getType()).isEqualTo(PaymentType.REFUND);
        assertThat(refund.getOriginalTransactionId()).isEqualTo(ORIGINAL);
        assertThat(refund.getAccountKind()).isEqualTo(AccountKind.WALLET);
        assertThat(refund.getAmount().getAmountMinor()).isEqualTo(50_000L);
        assertThat(refund.getRefundReason()).isEqualTo("DUPLICATE");
        assertThat(refund.getProvider()).isEqualTo("mobile-money-hub");
        assertThat(refund.getMerchantReference()).isEqualTo("order-1");
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("originalTransactionId")).isEqualTo(ORIGINAL);
        assertThat(body.getString("amount")).isEqualTo("500.00");
        // And its status names its original
        assertThat(new JsonObject(api.call("GET", "/v1/payments/" + refund.getTransactionId(),
                Set.of(Scopes.PAYMENTS_READ), null, null).body()).getString("originalTransactionId")).isEqualTo(ORIGINAL);
    }

    @Test
    void shouldAnswer404WhenOriginalIsUnknownOrAnotherMerchants() {
        api.seedCollection(ORIGINAL, MerchantApiHarness.OTHER_MERCHANT, 150_000L, Outcome.APPROVE);

        HttpResponse<String> others = api.call("POST", "/v1/refunds", REFUNDS, JSON, body("1.00", "KES"));
        HttpResponse<String> unknown = api.call("POST", "/v1/refunds", REFUNDS, JSON,
                body("1.00", "KES").replace(ORIGINAL, "txn_0000000000000000000000000000ffff"));

        assertThat(others.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(others.body()).isEqualTo(unknown.body());
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldAnswer422WhenAmountExceedsTheOriginal() {
        api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);

        HttpResponse<String> response = api.call("POST", "/v1/refunds", REFUNDS, JSON, body("1500.01", "KES"));

        assertThat(response.statusCode()).isEqualTo(422);
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).endsWith("/refund-exceeds-original");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("amount");
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldAnswer422WhenEarlierRefundsLeaveTooLittle() {
        api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);
        assertThat(api.callAcknowledged(api.payments, "POST", "/v1/refunds", REFUNDS, JSON, body("1000.00", "KES"))
                .statusCode()).isEqualTo(202);

        HttpResponse<String> second = api.call("POST", "/v1/refunds", REFUNDS, JSON, body("500.01", "KES"));

        assertThat(second.statusCode()).isEqualTo(422);
        assertThat(second.body()).contains("500.00 KES");
        assertThat(api.payments.history()).hasSize(1);
    }

    @Test
    void shouldRefuseSecondRefundWhileFirstOneWaitsForKafka() throws Exception {
        // Given a refund of the whole original not yet acknowledged
        api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);
        CompletableFuture<HttpResponse<String>> first = api.send("POST", "/v1/refunds", REFUNDS, JSON,
                body("1500.00", "KES"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.payments.history().size() == 1);

        // When a second refund arrives meanwhile
        HttpResponse<String> second = api.call("POST", "/v1/refunds", REFUNDS, JSON, body("1.00", "KES"));

        // Then it is refused: the first one reserved the whole amount
        assertThat(second.statusCode()).isEqualTo(422);
        api.payments.completeNext();
        assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }

    @Test
    void shouldReleaseReservationWhenKafkaRefusesTheRefund() throws Exception {
        api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);
        CompletableFuture<HttpResponse<String>> failed = api.send("POST", "/v1/refunds", REFUNDS, JSON,
                body("1500.00", "KES"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> api.payments.history().size() == 1);
        api.payments.errorNext(new NotEnoughReplicasException("not enough replicas"));
        assertThat(failed.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);

        HttpResponse<String> retried = api.callAcknowledged(api.payments, "POST", "/v1/refunds", REFUNDS, JSON,
                body("1500.00", "KES"));

        assertThat(retried.statusCode()).isEqualTo(202);
    }

    @Test
    void shouldAnswer409WhenOriginalIsNotApproved() {
        api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.DECLINE);

        HttpResponse<String> response = api.call("POST", "/v1/refunds", REFUNDS, JSON, body("1.00", "KES"));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(response.body()).getString("type")).endsWith("/not-refundable");
    }

    @Test
    void shouldAnswer422WhenCurrencyIsNotTheOriginals() {
        api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);

        HttpResponse<String> response = api.call("POST", "/v1/refunds", REFUNDS, JSON, body("1", "UGX"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("currency");
    }

    private static String body(String amount, String currency) {
        return """
                {"originalTransactionId": "%s", "amount": "%s", "currency": "%s", "reason": "DUPLICATE"}"""
                .formatted(ORIGINAL, amount, currency);
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayTheFirstRefundWithoutSecondEvent() {
        // Given an approved collection of 1500.00 KES
        api.seedCollection(ORIGINAL, MerchantApiHarness.MERCHANT, 150_000L, Outcome.APPROVE);

        // When a refund of 500.00 is posted without a key, then with one, then retried with the same key
        HttpResponse<String> first = api.assertIdempotent(api.payments, "POST", "/v1/refunds", REFUNDS, JSON,
                body("500.00", "KES"));

        // Then only 500.00 is refunded: the retry reserved nothing more
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(api.statusView.refundedMinor(ORIGINAL)).isEqualTo(50_000L);
    }
}
