package dev.ngao.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * When the ledger first held provider statuses of a payment without its decision (milliseconds, UTC): one key
 * of the time-ordered index the sweep of stale lifecycles reads ({@link UndecidedSweeper}).
 */
public record UndecidedSince(Instant since, String transactionId) {

    public UndecidedSince {
        Objects.requireNonNull(transactionId, "transactionId");
        since = Instant.ofEpochMilli(since.toEpochMilli());
    }
}
