package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyRecord;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Where claim records live, in one total order per key: Kafka in service ({@link KafkaClaimLog}), a list in
 * unit tests. Every record appended by any instance reaches every instance's applier, in log order.
 */
public interface ClaimLog extends AutoCloseable {

    /** Starts delivering every record, from the beginning, to {@code applier} (record key, record). */
    void start(BiConsumer<String, IdempotencyRecord> applier);

    /**
     * Appends {@code record}; completes once the applier of this instance has applied it, and so every
     * record before it under the same key: the writer then reads the verdict on its own record.
     */
    CompletableFuture<Void> append(String recordKey, IdempotencyRecord record);

    @Override
    void close();
}
