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

    /** Submits an approved payment; completes with the provider's reference and first status. */
    CompletionStage<ProviderStatusResult> submit(PaymentRequest request);

    /** Asks the provider where a payment stands. */
    CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference);

    /** Whether the provider answers at all (the heartbeat's probe). */
    CompletionStage<Boolean> probe();

    /** The provider's settlement report format. */
    SettlementReportFormat reportFormat();
}
