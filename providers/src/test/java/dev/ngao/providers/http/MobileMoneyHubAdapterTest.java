package dev.ngao.providers.http;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.testing.MutableClock;
import dev.ngao.providers.FakeProviderServer;
import dev.ngao.providers.FakeProviderServer.Scripted;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.TestPayments;
import dev.ngao.providers.config.ProviderSettings;
import dev.ngao.providers.mobilemoney.MobileMoneyHubAdapter;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MobileMoneyHubAdapterTest {

    private static final String ANSWER = "{\"transactionId\":\"txn-1\",\"hubReference\":\"MMH-1\",\"status\":\"%s\","
            + "\"amount\":\"1500.50\",\"currency\":\"KES\",\"fee\":\"15.00\",\"occurredAt\":\"2026-03-01T10:15:30Z\"}";

    private FakeProviderServer server;
    private ScheduledExecutorService scheduler;
    /** The ceiling of every backoff drawn, in order: the jitter answers the ceiling itself. */
    private final List<Long> ceilings = new CopyOnWriteArrayList<>();
    /** The wait before every retry, as the retry loop scheduled it. */
    private final List<Long> waitsMillis = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeProviderServer();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopServer() {
        server.close();
        scheduler.shutdownNow();
    }

    private MobileMoneyHubAdapter adapter(ProviderSettings settings, Clock clock) {
        ResilientHttp http = new ResilientHttp(settings, HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout()).build(), scheduler, ceiling -> {
                    ceilings.add(ceiling);
                    return ceiling;
                }, clock);
        http.retry().getEventPublisher().onRetry(event -> waitsMillis.add(event.getWaitInterval().toMillis()));
        return new MobileMoneyHubAdapter(http);
    }

    private ProviderSettings settings(URI baseUrl) {
        return ProviderSettings.defaults(ProviderKind.MOBILE_MONEY_HUB, baseUrl, "ngao-key", "hub-secret-0123456789")
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(1_500));
    }

    private MobileMoneyHubAdapter adapter() {
        return adapter(settings(server.baseUrl()), Clock.systemUTC());
    }

    @Test
    void shouldRefuseToSubmitWhenTheIdempotencyKeyIsMissingOrBlank() {
        // Given a hub that would accept anything
        server.answer(Scripted.json(202, ANSWER.formatted("PENDING")));

        // When a submission has no key, or a blank one
        // Then it is refused before any call: a keyless submission repeated after a crash would be a second payment
        assertThatThrownBy(() -> adapter().submit(TestPayments.mobileMoney("txn-1", 150_050), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> adapter().submit(TestPayments.mobileMoney("txn-1", 150_050), " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.received()).isEmpty();
    }

    @Test
    void shouldSendCredentialsAndIdempotencyKeyAndReadTheAnswerWhenSubmitting() {
        // Given a hub that accepts the payment
        server.answer(Scripted.json(202, ANSWER.formatted("PENDING")));

        // When a payment is submitted
        ProviderStatusResult result = adapter().submit(TestPayments.mobileMoney("txn-1", 150_050), "key-txn-1")
                .toCompletableFuture().join();

        // Then the hub got Basic credentials, the idempotency key and the amount as decimal text
        FakeProviderServer.Received request = server.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/payments");
        assertThat(request.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("ngao-key:hub-secret-0123456789".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("Idempotency-Key")).isEqualTo("key-txn-1");
        assertThat(request.body()).contains("\"amount\":\"1500.50\"", "\"currency\":\"KES\"", "\"type\":\"COLLECTION\"");
        // And the answer is normalised to minor units and UTC
        assertThat(result).isEqualTo(new ProviderStatusResult("txn-1", "MMH-1", ProviderStatus.PENDING,
                new Money(150_050L, "KES"), new Money(1_500L, "KES"), Instant.parse("2026-03-01T10:15:30Z")));
    }

    @Test
    void shouldRetryWithExponentialBackoffWhenTheHubAnswers5xx() {
        // Given a hub that fails twice and then answers
        server.answer(Scripted.status(503), Scripted.status(502), Scripted.json(200, ANSWER.formatted("SUCCESSFUL")));

        // When its status is queried
        ProviderStatusResult result = adapter().queryStatus("txn-1", "MMH-1").toCompletableFuture().join();

        // Then it took three attempts, waiting up to base and then 2 x base (full jitter draws below these)
        assertThat(result.status()).isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(server.received()).hasSize(3).allSatisfy(request -> {
            assertThat(request.path()).isEqualTo("/v1/payments/txn-1");
            assertThat(request.header("Authorization")).startsWith("Basic ");
        });
        assertThat(ceilings).containsExactly(10L, 20L);
        assertThat(waitsMillis).containsExactly(10L, 20L);
    }

    @Test
    void shouldCapTheBackoffAtItsMaximumAndGiveUpAfterTheLastRetry() {
        // Given a hub that always fails, and a backoff of 10 ms capped at 25 ms
        server.answer(Scripted.status(500));
        MobileMoneyHubAdapter adapter = adapter(settings(server.baseUrl())
                .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(25)), Clock.systemUTC());

        // When its status is queried, Then the call fails with the last status once the retries are spent
        assertThatThrownBy(() -> adapter.queryStatus("txn-1", null).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ProviderCallException.class)
                .hasMessageContaining("HTTP 500");
        assertThat(server.received()).hasSize(4);
        assertThat(ceilings).containsExactly(10L, 20L, 25L);
    }

    @Test
    void shouldNotRetryWhenTheHubAnswers4xx() {
        // Given a hub that refuses the request
        server.answer(Scripted.status(400), Scripted.json(200, ANSWER.formatted("SUCCESSFUL")));

        // When a payment is submitted, Then it fails at once with the status, and no retry is made
        assertThatThrownBy(() -> adapter().submit(TestPayments.mobileMoney("txn-1", 150_050), "key-txn-1").toCompletableFuture().join())
                .hasCauseInstanceOf(ProviderCallException.class)
                .satisfies(failure -> {
                    ProviderCallException call = (ProviderCallException) failure.getCause();
                    assertThat(call.httpStatus()).isEqualTo(400);
                    assertThat(call.retryable()).isFalse();
                });
        assertThat(server.received()).hasSize(1);
        assertThat(ceilings).isEmpty();
    }

    @Test
    void shouldAnswerUnknownWhenTheHubDoesNotKnowThePayment() {
        server.answer(Scripted.status(404));

        ProviderStatusResult result = adapter().queryStatus("txn-9", "MMH-9").toCompletableFuture().join();

        assertThat(result.status()).isEqualTo(ProviderStatus.UNKNOWN);
        assertThat(result.transactionId()).isEqualTo("txn-9");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void shouldRetryAfterATimeoutWhenTheHubIsSlow() {
        // Given a hub whose first answer comes after the call timeout
        server.answer(Scripted.json(200, ANSWER.formatted("SUCCESSFUL")).after(Duration.ofMillis(1_500)),
                Scripted.json(200, ANSWER.formatted("SUCCESSFUL")));
        MobileMoneyHubAdapter adapter = adapter(settings(server.baseUrl()).withCallTimeout(Duration.ofMillis(200)),
                Clock.systemUTC());

        // When its status is queried
        ProviderStatusResult result = adapter.queryStatus("txn-1", null).toCompletableFuture().join();

        // Then the slow attempt timed out and the retry answered
        assertThat(result.status()).isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(server.received()).hasSize(2);
        assertThat(ceilings).containsExactly(10L);
    }

    @Test
    void shouldWaitWhatRetryAfterSaysWhenTheHubAnswers429() {
        // Given a hub that asks to come back in 1 second
        server.answer(Scripted.status(429).withHeader("Retry-After", "1"), Scripted.json(200, ANSWER.formatted("PENDING")));

        // When its status is queried
        ProviderStatusResult result = adapter().queryStatus("txn-1", null).toCompletableFuture().join();

        // Then the one retry waited the 1000 ms asked for instead of a jittered backoff
        assertThat(result.status()).isEqualTo(ProviderStatus.PENDING);
        assertThat(server.received()).hasSize(2);
        assertThat(waitsMillis).containsExactly(1_000L);
        assertThat(ceilings).isEmpty();
    }

    @Test
    void shouldFailWithoutWaitingWhenRetryAfterIsBeyondTheMaximumBackoff() {
        server.answer(Scripted.status(429).withHeader("Retry-After", "3600"));

        assertThatThrownBy(() -> adapter().queryStatus("txn-1", null).toCompletableFuture().join())
                .hasCauseInstanceOf(ProviderCallException.class)
                .satisfies(failure -> assertThat(((ProviderCallException) failure.getCause()).retryAfter())
                        .contains(Duration.ofHours(1)));
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void shouldRetryConnectErrorsWhenNothingListens() throws Exception {
        // Given an address where nothing listens (the fake is stopped)
        URI closed = server.baseUrl();
        server.close();

        // When its status is queried, Then every attempt failed to connect and the call fails as a transport error
        assertThatThrownBy(() -> adapter(settings(closed), Clock.systemUTC()).queryStatus("txn-1", null)
                .toCompletableFuture().join())
                .hasCauseInstanceOf(ProviderCallException.class)
                .satisfies(failure -> assertThat(((ProviderCallException) failure.getCause()).httpStatus()).isZero());
        assertThat(ceilings).containsExactly(10L, 20L, 40L);
    }

    @Test
    void shouldOpenTheCircuitAndLetATrialCallThroughAfterTheOpenTime() {
        // Given a hub that fails twice and then recovers, no retries, and a breaker judging 2 calls at 50 %
        server.answer(Scripted.status(503), Scripted.status(503), Scripted.json(200, ANSWER.formatted("SUCCESSFUL")));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        MobileMoneyHubAdapter adapter = adapter(settings(server.baseUrl())
                .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(100))
                .withCircuit(50, 2, 2, Duration.ofSeconds(30), 1), clock);

        // When two calls fail
        for (int call = 0; call < 2; call++) {
            assertThatThrownBy(() -> adapter.queryStatus("txn-1", null).toCompletableFuture().join())
                    .hasCauseInstanceOf(ProviderCallException.class);
        }

        // Then the circuit is open and the next call fails at once, without reaching the hub
        assertThat(adapter.http().circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> adapter.queryStatus("txn-1", null).toCompletableFuture().join())
                .hasCauseInstanceOf(CallNotPermittedException.class);
        assertThat(server.received()).hasSize(2);

        // When the open time has passed, Then a trial call goes through (half-open), succeeds, and closes it
        clock.advance(Duration.ofSeconds(31));
        assertThat(adapter.queryStatus("txn-1", null).toCompletableFuture().join().status())
                .isEqualTo(ProviderStatus.SUCCEEDED);
        assertThat(server.received()).hasSize(3);
        assertThat(adapter.http().circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldNotCountClientErrorsAgainstTheCircuitWhenTheHubRefusesRequests() {
        // Given a breaker that would open after 2 failed calls
        server.answer(Scripted.status(422));
        MobileMoneyHubAdapter adapter = adapter(settings(server.baseUrl())
                .withCircuit(50, 2, 2, Duration.ofSeconds(30), 1), Clock.systemUTC());

        // When the hub refuses three requests as the caller's fault
        for (int call = 0; call < 3; call++) {
            assertThatThrownBy(() -> adapter.submit(TestPayments.mobileMoney("txn-" + System.nanoTime(), 100), "key-open-circuit")
                    .toCompletableFuture().join()).hasCauseInstanceOf(ProviderCallException.class);
        }

        // Then the circuit stays closed: the hub is up
        assertThat(adapter.http().circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void shouldProbeOnceAroundTheCircuitWhenTheHeartbeatAsks() {
        // Given an open circuit
        server.answer(Scripted.status(503), Scripted.status(200));
        MobileMoneyHubAdapter adapter = adapter();
        adapter.http().circuitBreaker().transitionToOpenState();

        // When probed while the hub fails, Then the probe fails after one attempt; and the next probe answers
        assertThatThrownBy(() -> adapter.probe().toCompletableFuture().join())
                .hasCauseInstanceOf(ProviderCallException.class);
        assertThat(adapter.probe().toCompletableFuture().join()).isTrue();
        assertThat(server.received()).extracting(FakeProviderServer.Received::path).containsExactly("/health", "/health");
    }

    @Test
    void shouldRefuseAnAnswerWithMoreDigitsThanTheCurrencyAllows() {
        server.answer(Scripted.json(200, ANSWER.formatted("SUCCESSFUL").replace("1500.50", "1500.505")));

        assertThatThrownBy(() -> adapter().queryStatus("txn-1", null).toCompletableFuture().join())
                .hasCauseInstanceOf(ProviderCallException.class)
                .hasMessageContaining("more decimal places than KES allows");
        assertThat(server.received()).hasSize(1);
    }
}
