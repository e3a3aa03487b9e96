package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.webhook.CardNetworkSignature;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The card network's transaction event:
 * <pre>{"id": "cn-evt-0042", "transactionId": "txn_3f9c...", "authorizationCode": "A1B2C3", "type": "CAPTURED",
 *  "amount": {"value": "12.34", "currency": "USD"}, "timestamp": "2026-03-01T10:15:30.123Z"}</pre>
 * Types: AUTHORIZED (pending), CAPTURED, DECLINED (failed), AUTHORIZATION_EXPIRED, REVERSED.
 */
final class CardNetworkPayload implements ProviderPayload {

    private static final Map<String, ProviderStatus> TYPES = Map.of(
            "AUTHORIZED", ProviderStatus.PENDING,
            "CAPTURED", ProviderStatus.SUCCEEDED,
            "DECLINED", ProviderStatus.FAILED,
            "AUTHORIZATION_EXPIRED", ProviderStatus.EXPIRED,
            "REVERSED", ProviderStatus.REVERSED);

    @Override
    public Parsed parse(Map<String, Object> json) {
        PayloadFields fields = new PayloadFields(json);
        String eventId = fields.identifier("id");
        String transactionId = fields.identifier("transactionId");
        String authorizationCode = fields.identifier("authorizationCode");
        ProviderStatus status = fields.oneOf("type", TYPES);
        Optional<Map<String, Object>> amount = fields.object("amount");
        String currency = amount.map(money -> fields.currency(money, "currency", "amount.currency")).orElse(null);
        Long amountMinor = amount.map(money -> fields.amountMinor(money, "value", "amount.value", currency)).orElse(null);
        Instant occurredAt = fields.instant("timestamp");
        return fields.result(() -> new ProviderNotification(CardNetworkSignature.PROVIDER, eventId, transactionId,
                authorizationCode, status, amountMinor, currency, occurredAt));
    }
}
