package dev.ngao.providers.card;

import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.StatusWords;

/**
 * The card network's HTTP contract, shared by the adapter and the sandbox. Amounts are objects
 * {@code {"value": "12.34", "currency": "USD"}}; times are UTC.
 * <pre>
 * POST /v1/captures             X-Api-Key: key, X-Api-Secret: secret, Idempotency-Key: the caller's key (one per submission)
 *   {"transactionId", "cardId", "amount": {"value", "currency"}}
 *   -> 201 {"transactionId", "authorizationCode", "type", "amount", "interchangeFee"?, "timestamp": UTC}
 * GET  /v1/captures/{transactionId} -> 200 the same shape, 404 when unknown
 * GET  /health -> 200
 * </pre>
 */
public final class CardNetworkApi {

    public static final String CAPTURES_PATH = "/v1/captures";
    public static final String API_KEY_HEADER = "X-Api-Key";
    public static final String API_SECRET_HEADER = "X-Api-Secret";

    public static final StatusWords TYPES = StatusWords.of(
            "AUTHORIZED", ProviderStatus.PENDING,
            "CAPTURED", ProviderStatus.SUCCEEDED,
            "DECLINED", ProviderStatus.FAILED,
            "AUTHORIZATION_EXPIRED", ProviderStatus.EXPIRED,
            "REVERSED", ProviderStatus.REVERSED);

    private CardNetworkApi() {
    }
}
