package dev.ngao.providers.mobilemoney;

import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.StatusWords;

/**
 * The mobile-money hub's HTTP contract, shared by the adapter and the sandbox.
 * <pre>
 * POST /v1/payments            Authorization: Basic base64(key:secret), Idempotency-Key: the caller's key (one per submission)
 *   {"transactionId", "type": "COLLECTION"|"PAYOUT", "amount": "1500.50", "currency": "KES",
 *    "msisdn", "operator", "country"}
 *   -> 202 {"transactionId", "hubReference", "status", "amount", "currency", "fee"?, "occurredAt": UTC}
 * GET  /v1/payments/{transactionId} -> 200 the same shape, 404 when unknown
 * GET  /health -> 200
 * </pre>
 * Amounts are decimal text in the currency's minor digits; the fee, when there is one, is in the payment's
 * currency. Statuses are the words of the hub's webhooks.
 */
public final class MobileMoneyHubApi {

    public static final String PAYMENTS_PATH = "/v1/payments";
    public static final StatusWords STATUSES = StatusWords.of(
            "PENDING", ProviderStatus.PENDING,
            "SUCCESSFUL", ProviderStatus.SUCCEEDED,
            "FAILED", ProviderStatus.FAILED,
            "TIMED_OUT", ProviderStatus.EXPIRED,
            "REVERSED", ProviderStatus.REVERSED);

    private MobileMoneyHubApi() {
    }
}
