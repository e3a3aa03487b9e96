package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderEvent;
import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps a {@link ProviderStatusView} up to date from {@code providers.events} (read_committed, from offset 0),
 * and tells a reader the transaction id of every event read, after the view has it.
 */
public final class ProviderStatusFeed implements AutoCloseable {

    private final LogFollower<ProviderEvent> follower;

    ProviderStatusFeed(LogFollower<ProviderEvent> follower) {
        this.follower = follower;
    }

    public static ProviderStatusFeed start(KafkaContext kafka, ProviderStatusView view, String clientId) {
        return start(kafka, view, transactionId -> { }, clientId);
    }

    public static ProviderStatusFeed start(KafkaContext kafka, ProviderStatusView view, Consumer<String> eventRead,
                                           String clientId) {
        // Webhooks and status-query results ask for the end under a transaction's lock: a reader of its own.
        LogFollower<ProviderEvent> follower = new LogFollower<>(Topics.PROVIDER_EVENTS,
                kafka.consumer(Topics.PROVIDER_EVENTS, clientId + "-provider-status", null),
                kafka.consumer(Topics.PROVIDER_EVENTS, clientId + "-provider-status-end-offsets", null),
                record -> {
                    if (record.value() != null) {
                        view.apply(record.value());
                        eventRead.accept(record.value().getTransactionId());
                    }
                }, clientId + "-provider-status");
        follower.start();
        return new ProviderStatusFeed(follower);
    }

    /** Completes once every provider event written before this call is in the view. */
    public CompletableFuture<Void> awaitEnd() {
        return follower.awaitEnd();
    }

    @Override
    public void close() {
        follower.close();
    }
}
