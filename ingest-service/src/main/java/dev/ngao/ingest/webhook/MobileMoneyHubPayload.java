package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.webhook.MobileMoneyHubSignature;

import java.time.Instant;
import java.util.Map;

/**
 * The mobile-money hub's payment result:
 * <pre>{"eventId": "hub-evt-81f2", "transactionId": "txn_3f9c...", "hubReference": "MMH-20260301-8842",
 *  "status": "SUCCESSFUL", "amount": "1500.50", "currency": "KES", "fee": "15.01", "occurredAt": "2026-03-01T10:15:30Z"}</pre>
 * {@code fee} is optional: the hub names the fee it charged on the final callback of a success.
 * Statuses: PENDING, SUCCESSFUL, FAILED, TIMED_OUT (expired), REVERSED.
 */
final class MobileMoneyHubPayload implements ProviderPayload {

    private static final Map<String, ProviderStatus> STATUSES = Map.of(
            "PENDING", ProviderStatus.PENDING,
            "SUCCESSFUL", ProviderStatus.SUCCEEDED,
            "FAILED", ProviderStatus.FAILED,
            "TIMED_OUT", ProviderStatus.EXPIRED,
            "REVERSED", ProviderStatus.REVERSED);

    @Override
    public Parsed parse(Map<String, Object> json) {
        PayloadFields fields = new PayloadFields(json);
        String eventId = fields.identifier("eventId");
        String transactionId = fields.identifier("transactionId");
        String reference = fields.identifier("hubReference");
        ProviderStatus status = fields.oneOf("status", STATUSES);
        String currency = fields.currency(json, "currency", "currency");
        Long amountMinor = fields.amountMinor(json, "amount", "amount", currency);
        Long feeMinor = fields.optionalAmountMinor(json, "fee", "fee", currency);
        Instant occurredAt = fields.instant("occurredAt");
        return fields.result(() -> new ProviderNotification(MobileMoneyHubSignature.PROVIDER, eventId, transactionId,
                reference, status, amountMinor, currency, occurredAt, feeMinor));
    }
}
