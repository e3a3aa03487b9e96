package dev.ngao.providers.http;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.FakeProviderServer;
import dev.ngao.providers.FakeProviderServer.Scripted;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderAdapters;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.TestPayments;
import dev.ngao.providers.config.ProviderSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

class PagoEfectivoAndCardAdapterTest {

    private FakeProviderServer server;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() throws Exception {
        server = new FakeProviderServer();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        server.close();
        scheduler.shutdownNow();
    }

    private ProviderAdapter adapter(ProviderKind kind) {
        return ProviderAdapters.create(ProviderSettings.defaults(kind, server.baseUrl(), "ngao-key", "the-secret-0123456789"),
                scheduler);
    }

    @Test
    void shouldSendLimaLocalTimesAndAccessKeysWhenCreatingACip() {
        // Given PagoEfectivo answering with a Lima local date-time
        server.answer(Scripted.json(201, "{\"transactionCode\":\"txn-2\",\"cip\":\"2026030100001\",\"status\":\"PENDIENTE\","
                + "\"amount\":\"50.00\",\"currency\":\"PEN\",\"eventDate\":\"2026-03-01T23:30:00\"}"));

        // When a CIP expiring at 2026-03-02T04:30Z is created
        ProviderStatusResult result = adapter(ProviderKind.PAGOEFECTIVO)
                .submit(TestPayments.cip("txn-2", 5_000, Instant.parse("2026-03-02T04:30:00Z")), "key-txn-2").toCompletableFuture().join();

        // Then the expiry went out in Lima local time and the keys in PagoEfectivo's headers
        FakeProviderServer.Received request = server.received().get(0);
        assertThat(request.path()).isEqualTo("/v1/cips");
        assertThat(request.header("PE-Access-Key")).isEqualTo("ngao-key");
        assertThat(request.header("PE-Secret-Key")).isEqualTo("the-secret-0123456789");
        assertThat(request.body()).contains("\"expiresAt\":\"2026-03-01T23:30:00\"", "\"amount\":\"50.00\"",
                "\"transactionCode\":\"txn-2\"");
        // And the answer's Lima time is the next day in UTC
        assertThat(result).isEqualTo(new ProviderStatusResult("txn-2", "2026030100001", ProviderStatus.PENDING,
                new Money(5_000L, "PEN"), null, Instant.parse("2026-03-02T04:30:00Z")));
    }

    @Test
    void shouldReadAmountObjectsAndTheInterchangeFeeWhenQueryingTheCardNetwork() {
        server.answer(Scripted.json(200, "{\"transactionId\":\"txn-3\",\"authorizationCode\":\"A1B2C3\",\"type\":\"CAPTURED\","
                + "\"amount\":{\"value\":\"12.34\",\"currency\":\"USD\"},\"interchangeFee\":{\"value\":\"0.19\","
                + "\"currency\":\"USD\"},\"timestamp\":\"2026-03-01T10:15:30.123Z\"}"));

        ProviderStatusResult result = adapter(ProviderKind.CARD_NETWORK).queryStatus("txn-3", "A1B2C3")
                .toCompletableFuture().join();

        FakeProviderServer.Received request = server.received().get(0);
        assertThat(request.path()).isEqualTo("/v1/captures/txn-3");
        assertThat(request.header("X-Api-Key")).isEqualTo("ngao-key");
        assertThat(request.header("X-Api-Secret")).isEqualTo("the-secret-0123456789");
        assertThat(result).isEqualTo(new ProviderStatusResult("txn-3", "A1B2C3", ProviderStatus.SUCCEEDED,
                new Money(1_234L, "USD"), new Money(19L, "USD"), Instant.parse("2026-03-01T10:15:30.123Z")));
        assertThat(result.isFinal()).isTrue();
    }

    @Test
    void shouldSendTheAmountAsAnObjectWhenCapturingACardPayment() {
        server.answer(Scripted.json(201, "{\"transactionId\":\"txn-4\",\"authorizationCode\":\"Z9\",\"type\":\"AUTHORIZED\","
                + "\"amount\":{\"value\":\"7.00\",\"currency\":\"USD\"},\"timestamp\":\"2026-03-01T10:15:30Z\"}"));

        ProviderStatusResult result = adapter(ProviderKind.CARD_NETWORK).submit(TestPayments.card("txn-4", 700), "key-txn-4")
                .toCompletableFuture().join();

        assertThat(server.received().get(0).body()).contains("\"cardId\":\"card-1\"", "\"value\":\"7.00\"",
                "\"currency\":\"USD\"");
        assertThat(server.received().get(0).header("Idempotency-Key")).isEqualTo("key-txn-4");
        assertThat(result.status()).isEqualTo(ProviderStatus.PENDING);
        assertThat(result.fee()).isNull();
    }
}
