package dev.ngao.ingest.status;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.AccountKind;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.SampleEvents;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionAwaiterTest {

    private final Vertx vertx = Vertx.vertx();
    private final PaymentStatusView view = new PaymentStatusView(SharedTestStateStores.get(), 100);

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldCompleteWithDecisionOnTheAwaitingContextWhenItArrivesInTime() throws Exception {
        // Given a waiter registered on an event loop
        DecisionAwaiter awaiter = new DecisionAwaiter(vertx, view, 10);
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Optional<PaymentStatus.Decision>> result = new CompletableFuture<>();
        CompletableFuture<Boolean> onSameContext = new CompletableFuture<>();
        context.runOnContext(ignored -> awaiter.await("txn_1", 5_000).onComplete(awaited -> {
            onSameContext.complete(Vertx.currentContext() == context);
            result.complete(awaited.result());
        }));
        waitUntil(() -> awaiter.waiting() == 1);

        // When the decision is recorded from another thread, as the status feed does
        view.recordDecision(decision("txn_1", Outcome.APPROVE));

        // Then the waiter gets it, on its own context, and is gone
        assertThat(result.get(5, TimeUnit.SECONDS)).hasValueSatisfying(decision ->
                assertThat(decision.outcome()).isEqualTo(Outcome.APPROVE));
        assertThat(onSameContext.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(awaiter.waiting()).isZero();
    }

    @Test
    void shouldCompleteAtOnceWhenDecisionIsAlreadyKnown() throws Exception {
        DecisionAwaiter awaiter = new DecisionAwaiter(vertx, view, 10);
        view.recordDecision(decision("txn_1", Outcome.DECLINE));

        Optional<PaymentStatus.Decision> result = onEventLoop(() -> awaiter.await("txn_1", 5_000)).get(1, TimeUnit.SECONDS);

        assertThat(result).hasValueSatisfying(decision -> assertThat(decision.outcome()).isEqualTo(Outcome.DECLINE));
    }

    @Test
    void shouldCompleteEmptyWhenNoDecisionArrivesBeforeTheTimeout() throws Exception {
        DecisionAwaiter awaiter = new DecisionAwaiter(vertx, view, 10);
        long startedAt = System.nanoTime();

        Optional<PaymentStatus.Decision> result = onEventLoop(() -> awaiter.await("txn_1", 200)).get(5, TimeUnit.SECONDS);

        assertThat(result).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt)).isGreaterThanOrEqualTo(200);
        assertThat(awaiter.waiting()).isZero();
    }

    @Test
    void shouldRefuseWhenTooManyWaitAlready() throws Exception {
        DecisionAwaiter awaiter = new DecisionAwaiter(vertx, view, 1);
        onEventLoop(() -> awaiter.await("txn_1", 5_000));
        waitUntil(() -> awaiter.waiting() == 1);

        CompletableFuture<Optional<PaymentStatus.Decision>> refused = onEventLoop(() -> awaiter.await("txn_2", 5_000));

        assertThat(refused).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(RejectedExecutionException.class);
    }

    private CompletableFuture<Optional<PaymentStatus.Decision>> onEventLoop(
            java.util.function.Supplier<Future<Optional<PaymentStatus.Decision>>> await) {
        CompletableFuture<Optional<PaymentStatus.Decision>> result = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> await.get().onComplete(awaited -> {
            if (awaited.succeeded()) {
                result.complete(awaited.result());
            } else {
                result.completeExceptionally(awaited.cause());
            }
        }));
        return result;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(10);
        }
    }

    private static RiskDecision decision(String transactionId, Outcome outcome) {
        return SampleEvents.riskDecision(transactionId, outcome)
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setMerchantId("merchant-a")
                .setAccountKind(AccountKind.CARD)
                .setAccountId("card_1")
                .setAmount(new Money(3_590L, "PEN"))
                .setProvider("card-network")
                .setRequestedAt(Instant.parse("2026-03-01T10:00:00Z"))
                .setDecidedAt(Instant.parse("2026-03-01T10:00:00.100Z"))
                .build();
    }
}
