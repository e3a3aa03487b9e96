package dev.ngao.ingest.cip;

import dev.ngao.ingest.payer.Payer;
import dev.ngao.ingest.pii.DocumentType;

import java.time.Instant;

/**
 * A CIP request body that passed every rule: amount in minor units, expiry as a UTC instant.
 *
 * @param payer the payer's other risk signals (IP, device, time zone); null when the body had none
 */
public record ValidCipRequest(
        DocumentType documentType,
        String documentNumber,
        String email,
        String phone,
        long amountMinor,
        String currency,
        Instant expiresAt,
        String merchantReference,
        Payer payer) {

    @Override
    public String toString() {
        // Document number, email and phone are PII: a stray log of this record must not print them.
        return "ValidCipRequest[documentType=" + documentType + ", amountMinor=" + amountMinor + ", currency="
                + currency + ", expiresAt=" + expiresAt + ", merchantReference=" + merchantReference + ", payer=" + payer
                + "]";
    }
}
