package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyRecord;

import java.util.concurrent.CompletableFuture;

/**
 * Where claim records live, in one total order per key: Kafka in service ({@link KafkaClaimLog}), a list in
 * unit tests. Every record appended by any instance reaches every instance's applier, in log order.
 */
public interface ClaimLog extends AutoCloseable {

    /** Receives every record in log order, with the payload an accepting claim carries (null for others). */
    interface Applier {
        void apply(String recordKey, IdempotencyRecord record, ClaimPayload payload, boolean presentAtStart);
    }

    /** Starts delivering every record, from the beginning, to {@code applier}. */
    void start(Applier applier);

    /**
     * Appends {@code record}, with {@code payload} when it is an accepting claim (else null); completes once
     * the applier of this instance has applied it, and so every record before it under the same key: the
     * writer then reads the verdict on its own record.
     */
    CompletableFuture<Void> append(String recordKey, IdempotencyRecord record, ClaimPayload payload);

    /** Appends a record without payload: claims with a lease, completions, releases. */
    default CompletableFuture<Void> append(String recordKey, IdempotencyRecord record) {
        return append(recordKey, record, null);
    }

    @Override
    void close();
}
