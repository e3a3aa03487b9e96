package dev.ngao.rules;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListKind;

import java.time.Instant;
import java.util.Optional;

/** The allow and block lists of every merchant, as risk.lists says now. */
public interface ListLookup {

    /**
     * The entry of {@code merchantId}'s list of kind {@code kind} that matches {@code value} in
     * {@code dimension} and has not expired at {@code at}, if any. {@code value} is the keyed hash for
     * personal dimensions (EMAIL, PHONE, DEVICE, DNI) and the clear value for IP and COUNTRY; an IP also
     * matches CIDR entries that contain it.
     */
    Optional<ListMatch> match(String merchantId, ListKind kind, ListDimension dimension, String value, Instant at);

    /** An entry that matched, with what an analyst can read of it (never the personal value). */
    record ListMatch(String entryId, ListDimension dimension, String reason) {
    }

    ListLookup EMPTY = (merchantId, kind, dimension, value, at) -> Optional.empty();
}
