package dev.ngao.sandbox.provider;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CipDetails;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.testing.MutableClock;
import dev.ngao.platform.webhook.WebhookVerdict;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderAdapters;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.config.ProviderSettings;
import dev.ngao.providers.http.ProviderCallException;
import dev.ngao.providers.report.ReportRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox over HTTP, driven by Ngao's own adapters: both sides of each contract meet here. */
class ProviderSandboxTest {

    private static final String API_SECRET = "sandbox-api-secret-0123456789";
    private static final String WEBHOOK_SECRET = "sandbox-webhook-secret-0123456789";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final List<Map<String, String>> webhookHeaders = new CopyOnWriteArrayList<>();
    private final List<byte[]> webhookBodies = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private ProviderSandbox sandbox;
    private URI base;

    private void start(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put(SandboxConfig.HTTP_PORT, 0);
        values.put(SandboxConfig.SETTLE_DELAY_MS, 1_000);
        values.put(SandboxConfig.SUCCESS_PERCENT, 100);
        for (ProviderKind kind : ProviderKind.values()) {
            values.put(SandboxConfig.key(kind, "api.secret"), API_SECRET);
            values.put(SandboxConfig.key(kind, "webhook.secret"), WEBHOOK_SECRET);
        }
        values.putAll(overrides);
        sandbox = new ProviderSandbox(new SandboxConfig(values), clock, (path, headers, body) -> {
            Map<String, String> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            received.putAll(headers);
            webhookHeaders.add(received);
            webhookBodies.add(body);
            return CompletableFuture.completedFuture(200);
        }, sent -> { });
        base = URI.create("http://127.0.0.1:" + sandbox.start() + "/");
    }

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        scheduler.shutdownNow();
    }

    private ProviderAdapter adapter(ProviderKind kind, String secret) {
        ProviderSettings settings = ProviderSettings.defaults(kind, base.resolve(kind.id()), "ngao-" + kind.id(), secret)
                .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(10));
        return ProviderAdapters.create(settings, scheduler);
    }

    private static PaymentRequest.Builder request(String transactionId, PaymentType type, Money amount, String provider) {
        return PaymentRequest.newBuilder().setTransactionId(transactionId).setType(type).setMerchantId("m-1")
                .setMerchantReference("order-1").setAccountKind(AccountKind.WALLET).setAccountId("acct-1")
                .setAmount(amount).setProvider(provider).setApiKeyId("key-1").setRequestedAt(Instant.EPOCH);
    }

    private static PaymentRequest payment(ProviderKind kind, String transactionId) {
        return switch (kind) {
            case MOBILE_MONEY_HUB -> request(transactionId, PaymentType.MOBILE_MONEY_COLLECTION,
                    new Money(150_050L, "KES"), kind.id())
                    .setMobileMoney(new MobileMoneyDetails("+254712345678", "+2547******78", "MPESA")).build();
            case PAGOEFECTIVO -> request(transactionId, PaymentType.CIP_PAYMENT, new Money(5_000L, "PEN"), kind.id())
                    .setCip(CipDetails.newBuilder().setDocumentType("DNI").setDocumentHash("h").setDocumentMasked("m")
                            .setExpiresAt(Instant.parse("2026-03-02T10:00:00Z")).setPaymentCode("2026030100007").build())
                    .build();
            case CARD_NETWORK -> request(transactionId, PaymentType.CARD_AUTHORIZATION, new Money(1_234L, "USD"),
                    kind.id()).setCard(CardDetails.newBuilder().setCardId("card-1").build()).build();
        };
    }

    @Test
    void shouldAcceptAndThenSettleEachProvidersPaymentsWhenNgaosAdaptersCall() {
        start(Map.of());
        for (ProviderKind kind : ProviderKind.values()) {
            ProviderAdapter adapter = adapter(kind, API_SECRET);

            // When Ngao submits, Then the provider answers PENDING with its reference
            ProviderStatusResult submitted = adapter.submit(payment(kind, "txn-" + kind.ordinal()), "key-" + kind.ordinal())
                    .toCompletableFuture().join();
            assertThat(submitted.status()).as(kind.id()).isEqualTo(ProviderStatus.PENDING);
            assertThat(submitted.providerReference()).as(kind.id()).isNotBlank();

            // And a query after the settle delay answers the final status, its amount and fee
            clock.advance(Duration.ofSeconds(2));
            ProviderStatusResult settled = adapter.queryStatus("txn-" + kind.ordinal(), submitted.providerReference())
                    .toCompletableFuture().join();
            assertThat(settled.status()).as(kind.id()).isEqualTo(ProviderStatus.SUCCEEDED);
            assertThat(settled.amount()).as(kind.id()).isEqualTo(payment(kind, "x").getAmount());
            assertThat(settled.fee()).as(kind.id()).isNotNull();
            assertThat(settled.providerReference()).isEqualTo(submitted.providerReference());
            assertThat(adapter.probe().toCompletableFuture().join()).isTrue();
        }
        // The CIP kept the payment code Ngao issued
        assertThat(sandbox.provider(ProviderKind.PAGOEFECTIVO).find("txn-1").orElseThrow().reference())
                .isEqualTo("2026030100007");
    }

    @Test
    void shouldReplayTheFirstAnswerAndTakeNoSecondSubmissionWhenTheIdempotencyKeyRepeats() {
        // Given a payment submitted once, and settled since
        start(Map.of());
        ProviderAdapter hub = adapter(ProviderKind.MOBILE_MONEY_HUB, API_SECRET);
        ProviderStatusResult first = hub.submit(payment(ProviderKind.MOBILE_MONEY_HUB, "txn-r"), "key-r")
                .toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(2));

        // When the same submission comes again with the same key (a retry after a timeout, a restarted caller)
        ProviderStatusResult again = hub.submit(payment(ProviderKind.MOBILE_MONEY_HUB, "txn-r"), "key-r")
                .toCompletableFuture().join();

        // Then it gets the first answer as it was, and the provider counts one submission
        assertThat(again).isEqualTo(first);
        assertThat(again.status()).isEqualTo(ProviderStatus.PENDING);
        assertThat(sandbox.provider(ProviderKind.MOBILE_MONEY_HUB).submissions("txn-r")).isEqualTo(1);
        assertThat(sandbox.provider(ProviderKind.MOBILE_MONEY_HUB).size()).isEqualTo(1);
    }

    @Test
    void shouldCountASecondSubmissionWhenTheSamePaymentComesWithAnotherKeyOrNone() throws Exception {
        // Given a payment submitted once with a key
        start(Map.of());
        ProviderAdapter hub = adapter(ProviderKind.MOBILE_MONEY_HUB, API_SECRET);
        ProviderStatusResult first = hub.submit(payment(ProviderKind.MOBILE_MONEY_HUB, "txn-k"), "key-k-1")
                .toCompletableFuture().join();

        // When it comes again under a fresh key, and once more without any
        ProviderStatusResult again = hub.submit(payment(ProviderKind.MOBILE_MONEY_HUB, "txn-k"), "key-k-2")
                .toCompletableFuture().join();
        HttpResponse<String> keyless = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        base.resolve("mobile-money-hub/v1/payments"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("ngao-mobile-money-hub:" + API_SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"transactionId\":\"txn-k\",\"type\":\"COLLECTION\","
                        + "\"amount\":\"250.00\",\"currency\":\"KES\",\"msisdn\":\"+254700000001\","
                        + "\"operator\":\"MPESA\",\"country\":\"KE\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        // Then each is a submission the provider took: what an idempotency key exists to prevent
        assertThat(keyless.statusCode()).isEqualTo(200);
        assertThat(keyless.headers().firstValue(ProviderSandbox.IDEMPOTENT_REPLAYED_HEADER)).isEmpty();
        assertThat(again.providerReference()).isEqualTo(first.providerReference());
        assertThat(sandbox.provider(ProviderKind.MOBILE_MONEY_HUB).submissions("txn-k")).isEqualTo(3);
        assertThat(sandbox.provider(ProviderKind.MOBILE_MONEY_HUB).size()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnIdempotencyKeyReusedForAnotherTransaction() {
        // Given a key used once
        start(Map.of());
        ProviderAdapter hub = adapter(ProviderKind.MOBILE_MONEY_HUB, API_SECRET);
        hub.submit(payment(ProviderKind.MOBILE_MONEY_HUB, "txn-a"), "key-shared").toCompletableFuture().join();

        // When another transaction comes with it, Then it is refused (422) and not submitted
        assertThatThrownBy(() -> hub.submit(payment(ProviderKind.MOBILE_MONEY_HUB, "txn-b"), "key-shared")
                .toCompletableFuture().join())
                .hasCauseInstanceOf(ProviderCallException.class)
                .satisfies(failure -> assertThat(((ProviderCallException) failure.getCause()).httpStatus())
                        .isEqualTo(422));
        assertThat(sandbox.provider(ProviderKind.MOBILE_MONEY_HUB).submissions("txn-b")).isZero();
    }

    @Test
    void shouldStayPendingUntilQueriedWhenThePaymentWaitsForAQuery() {
        start(Map.of(SandboxConfig.PENDING_UNTIL_QUERIED, 100));
        ProviderAdapter card = adapter(ProviderKind.CARD_NETWORK, API_SECRET);
        card.submit(payment(ProviderKind.CARD_NETWORK, "txn-q"), "key-txn-q").toCompletableFuture().join();

        // However long it waits, it is pending (and in no report) until someone asks
        clock.advance(Duration.ofHours(6));
        SandboxPayment held = sandbox.provider(ProviderKind.CARD_NETWORK).find("txn-q").orElseThrow();
        assertThat(held.statusAt(clock.instant())).isEqualTo(ProviderStatus.PENDING);
        assertThat(sandbox.report(ProviderKind.CARD_NETWORK, clock.instant().atZone(java.time.ZoneOffset.UTC)
                .toLocalDate()).rows()).isEmpty();

        // The query settles it, now
        ProviderStatusResult answer = card.queryStatus("txn-q", null).toCompletableFuture().join();
        assertThat(answer.status()).isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(answer.occurredAt()).isEqualTo(clock.instant());
        assertThat(sandbox.injections().count(Injection.Kind.PENDING_UNTIL_QUERIED)).isEqualTo(1);
    }

    @Test
    void shouldSendWebhooksTheIngestSchemesAcceptWhenAPaymentIsSubmitted() throws Exception {
        start(Map.of(SandboxConfig.SETTLE_DELAY_MS, 0));

        adapter(ProviderKind.PAGOEFECTIVO, API_SECRET).submit(payment(ProviderKind.PAGOEFECTIVO, "txn-w"), "key-txn-w")
                .toCompletableFuture().join();
        awaitWebhooks(2);

        for (int index = 0; index < 2; index++) {
            Map<String, String> headers = webhookHeaders.get(index);
            assertThat(Dialect.of(ProviderKind.PAGOEFECTIVO).scheme().verify(headers::get, webhookBodies.get(index),
                    List.of(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8)), clock.instant(), Duration.ofMinutes(5)))
                    .isEqualTo(WebhookVerdict.VALID);
        }
        assertThat(new String(webhookBodies.get(1), StandardCharsets.UTF_8)).contains("\"eventType\":\"cip.paid\"",
                "\"transactionCode\":\"txn-w\"");
    }

    @Test
    void shouldRefuseCallsWithoutTheConfiguredCredentials() {
        start(Map.of());

        for (ProviderKind kind : ProviderKind.values()) {
            assertThatThrownBy(() -> adapter(kind, "not-the-secret-0000000000").submit(payment(kind, "txn-x"), "key-txn-x")
                    .toCompletableFuture().join())
                    .hasCauseInstanceOf(ProviderCallException.class)
                    .satisfies(failure -> assertThat(((ProviderCallException) failure.getCause()).httpStatus())
                            .isEqualTo(401));
        }
        assertThat(sandbox.provider(ProviderKind.MOBILE_MONEY_HUB).size()).isZero();
    }

    @Test
    void shouldAnswer503ToProbesWhenTheProviderIsSwitchedOff() {
        start(Map.of());
        ProviderAdapter hub = adapter(ProviderKind.MOBILE_MONEY_HUB, API_SECRET);

        sandbox.setAvailable(ProviderKind.MOBILE_MONEY_HUB, false);
        assertThatThrownBy(() -> hub.probe().toCompletableFuture().join()).hasMessageContaining("HTTP 503");

        sandbox.setAvailable(ProviderKind.MOBILE_MONEY_HUB, true);
        assertThat(hub.probe().toCompletableFuture().join()).isTrue();
    }

    @Test
    void shouldServeTheDaysSettlementReportInTheProvidersFormatOverHttp() throws Exception {
        start(Map.of(SandboxConfig.SETTLE_DELAY_MS, 0, SandboxConfig.REPORT_AMOUNT, 100));
        ProviderAdapter hub = adapter(ProviderKind.MOBILE_MONEY_HUB, API_SECRET);
        hub.submit(payment(ProviderKind.MOBILE_MONEY_HUB, "txn-s"), "key-txn-s").toCompletableFuture().join();

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        base.resolve("mobile-money-hub/v1/settlement-reports/2026-03-01"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("ngao-mobile-money-hub:" + API_SECRET).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        List<ReportRow> rows = new ArrayList<>();
        hub.reportFormat().read(new StringReader(response.body())).forEachRemaining(rows::add);
        // One payment of 1500.50 KES reported one cent more, as configured, and its fee
        assertThat(rows).extracting(ReportRow::type, row -> row.amount().getAmountMinor()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ReportRow.RowType.PAYMENT, 150_051L),
                org.assertj.core.groups.Tuple.tuple(ReportRow.RowType.FEE, 1_500L));
        assertThat(sandbox.injections().of(Injection.Kind.REPORT_AMOUNT_CHANGED)).extracting(Injection::transactionId)
                .containsExactly("txn-s");
    }

    @Test
    void shouldExpireAnUnpaidCipWhenItsExpiryPassesNotBefore() {
        // Given no CIP is paid, and one expiring at 2026-03-02T10:00Z
        start(Map.of(SandboxConfig.SUCCESS_PERCENT, 0));
        ProviderAdapter pagoEfectivo = adapter(ProviderKind.PAGOEFECTIVO, API_SECRET);
        pagoEfectivo.submit(payment(ProviderKind.PAGOEFECTIVO, "txn-e"), "key-txn-e").toCompletableFuture().join();

        // Then it is pending the minute before, and expired at its expiry, in UTC
        clock.set(Instant.parse("2026-03-02T09:59:00Z"));
        assertThat(pagoEfectivo.queryStatus("txn-e", null).toCompletableFuture().join().status())
                .isEqualTo(ProviderStatus.PENDING);
        clock.set(Instant.parse("2026-03-02T10:00:00Z"));
        ProviderStatusResult expired = pagoEfectivo.queryStatus("txn-e", null).toCompletableFuture().join();
        assertThat(expired.status()).isEqualTo(ProviderStatus.EXPIRED);
        assertThat(expired.occurredAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
    }

    @Test
    void shouldSeeTheProviderGoDownAndComeBackWhenTheHeartbeatProbesTheSandbox() {
        start(Map.of());
        List<dev.ngao.providers.health.HealthTransition> transitions = new CopyOnWriteArrayList<>();
        dev.ngao.providers.health.Heartbeat heartbeat = new dev.ngao.providers.health.Heartbeat(
                List.of(adapter(ProviderKind.CARD_NETWORK, API_SECRET)), 2, transitions::add, clock);

        heartbeat.probeAll().join();
        sandbox.setAvailable(ProviderKind.CARD_NETWORK, false);
        heartbeat.probeAll().join();
        heartbeat.probeAll().join();
        sandbox.setAvailable(ProviderKind.CARD_NETWORK, true);
        heartbeat.probeAll().join();

        assertThat(transitions).extracting(dev.ngao.providers.health.HealthTransition::current).containsExactly(
                dev.ngao.events.ProviderHealth.UP, dev.ngao.events.ProviderHealth.DOWN, dev.ngao.events.ProviderHealth.UP);
        assertThat(transitions.get(1).detail()).contains("HTTP 503");
    }

    private void awaitWebhooks(int count) throws InterruptedException {
        // The dispatcher sends asynchronously: wait (bounded) for the calls, then assert.
        for (int attempt = 0; attempt < 200 && webhookBodies.size() < count; attempt++) {
            Thread.sleep(25);
        }
        assertThat(webhookBodies).hasSize(count);
    }
}
