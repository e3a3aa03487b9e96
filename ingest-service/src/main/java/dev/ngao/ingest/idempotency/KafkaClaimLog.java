package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyRecord;
import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The claim log on {@code ingest.idempotency}: appends with an idempotent acks=all producer, and follows
 * every partition from the beginning with an assign-only consumer, so every instance applies every record.
 * An append completes when the follower has applied the record's own offset: the writer then reads the
 * verdict on its claim from the same fold every other instance computes.
 */
public final class KafkaClaimLog implements ClaimLog {

    /** Appends waiting to be handed to the producer; beyond this they fail at once (bounded memory). */
    private static final int MAXIMUM_QUEUED_APPENDS = 10_000;

    private final Producer<String, IdempotencyRecord> producer;
    private final Consumer<String, IdempotencyRecord> consumer;
    private final String threadName;
    /** One thread hands records to the producer: send may block on metadata or a full buffer. */
    private final ThreadPoolExecutor sender;
    private LogFollower<IdempotencyRecord> follower;

    public KafkaClaimLog(Producer<String, IdempotencyRecord> producer, Consumer<String, IdempotencyRecord> consumer,
                         String threadName) {
        this.producer = producer;
        this.consumer = consumer;
        this.threadName = threadName;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAXIMUM_QUEUED_APPENDS), runnable -> {
                    Thread thread = new Thread(runnable, threadName + "-sender");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public synchronized void start(BiConsumer<String, IdempotencyRecord> applier) {
        if (follower != null) {
            throw new IllegalStateException("claim log already started");
        }
        follower = new LogFollower<>(Topics.INGEST_IDEMPOTENCY, consumer,
                record -> applier.accept(record.key(), record.value()), threadName);
        follower.start();
    }

    /** Completes once the records present at start are applied: the table is then complete. */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    @Override
    public CompletableFuture<Void> append(String recordKey, IdempotencyRecord record) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        ProducerRecord<String, IdempotencyRecord> producerRecord =
                new ProducerRecord<>(Topics.INGEST_IDEMPOTENCY.name(), recordKey, record);
        try {
            sender.execute(() -> {
                try {
                    producer.send(producerRecord, (metadata, error) -> {
                        if (error != null) {
                            applied.completeExceptionally(error);
                            return;
                        }
                        follower.awaitApplied(metadata.partition(), metadata.offset()).whenComplete((ignored, failure) -> {
                            if (failure == null) {
                                applied.complete(null);
                            } else {
                                applied.completeExceptionally(failure);
                            }
                        });
                    });
                } catch (RuntimeException e) {
                    applied.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            applied.completeExceptionally(e);
        }
        return applied;
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        if (follower != null) {
            follower.close();
        }
    }
}
