package dev.ngao.ingest.list;

import dev.ngao.events.ListDimension;

import java.time.Instant;

/**
 * A list entry body that passed every rule; the value is normalised (email in lower case, IP and CIDR in
 * canonical form), so equal entries hash equally.
 *
 * @param expiresAt null for an entry that does not expire
 */
public record ListEntryRequest(ListDimension dimension, String value, String reason, Instant expiresAt) {

    @Override
    public String toString() {
        // The value may be an email, phone, device or DNI.
        return "ListEntryRequest[dimension=" + dimension + ", expiresAt=" + expiresAt + "]";
    }
}
