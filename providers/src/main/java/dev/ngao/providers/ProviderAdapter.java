package dev.ngao.providers;

import dev.ngao.events.PaymentRequest;
import dev.ngao.providers.report.SettlementReportFormat;

import java.util.concurrent.CompletionStage;

/**
 * The contract of one provider, whatever its kind: submit a payment, query its status, verify and parse
 * its webhooks, and read its settlement reports. Implementations call the provider over HTTP with
 * timeouts, retries with backoff and jitter, and a circuit breaker; the sandbox implements the provider
 * side of the same contract.
 */
public interface ProviderAdapter {

    ProviderKind kind();

    /**
     * Submits an approved payment; completes with the provider's reference and first status.
     *
     * @param idempotencyKey sent as the provider's {@code Idempotency-Key}: the same key for every attempt of one
     *                       submission (derived from the transaction, never random), so a repeated call after a
     *                       timeout or a crash is answered with the first payment instead of making a second one
     */
    CompletionStage<ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey);

    /** Asks the provider where a payment stands. */
    CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference);

    /** Whether the provider answers at all (the heartbeat's probe). */
    CompletionStage<Boolean> probe();

    /** The provider's settlement report format. */
    SettlementReportFormat reportFormat();
}
