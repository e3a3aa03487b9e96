package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.webhook.PagoEfectivoSignature;

import java.time.Instant;
import java.util.Map;

/**
 * The PagoEfectivo-like CIP notification:
 * <pre>{"eventId": "pe-evt-5521", "eventType": "cip.paid", "cip": "2026030112345",
 *  "transactionCode": "txn_3f9c...", "amount": "50.00", "currency": "PEN", "eventDate": "2026-03-01T10:15:30"}</pre>
 * {@code eventDate} is Lima local time without offset, as PagoEfectivo writes it; it is converted to UTC
 * here, at the edge. Event types: cip.generated (pending), cip.paid, cip.expired, cip.cancelled (failed),
 * cip.extorned (reversed).
 */
final class PagoEfectivoPayload implements ProviderPayload {

    private static final Map<String, ProviderStatus> EVENT_TYPES = Map.of(
            "cip.generated", ProviderStatus.PENDING,
            "cip.paid", ProviderStatus.SUCCEEDED,
            "cip.expired", ProviderStatus.EXPIRED,
            "cip.cancelled", ProviderStatus.FAILED,
            "cip.extorned", ProviderStatus.REVERSED);

    @Override
    public Parsed parse(Map<String, Object> json) {
        PayloadFields fields = new PayloadFields(json);
        String eventId = fields.identifier("eventId");
        ProviderStatus status = fields.oneOf("eventType", EVENT_TYPES);
        String cip = fields.identifier("cip");
        String transactionId = fields.identifier("transactionCode");
        String currency = fields.currency(json, "currency", "currency");
        Long amountMinor = fields.amountMinor(json, "amount", "amount", currency);
        Long feeMinor = fields.optionalAmountMinor(json, "fee", "fee", currency);
        Instant occurredAt = fields.localDateTime("eventDate", PagoEfectivoSignature.LIMA);
        return fields.result(() -> new ProviderNotification(PagoEfectivoSignature.PROVIDER, eventId, transactionId,
                cip, status, amountMinor, currency, occurredAt, feeMinor));
    }
}
