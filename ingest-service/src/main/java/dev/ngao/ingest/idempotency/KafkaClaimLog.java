package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyRecord;
import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The claim log on {@code ingest.idempotency}: appends with an idempotent acks=all producer, and follows
 * every partition from the beginning with an assign-only consumer, so every instance applies every record.
 * An append completes when the follower has applied the record's own offset: the writer then reads the
 * verdict on its claim from the same fold every other instance computes. An accepting claim's payload
 * travels as two record headers ({@link ClaimPayload#SUBJECT_HEADER}, {@link ClaimPayload#CONTENT_HEADER}).
 *
 * <p>Appends are handed to the producer on the caller's thread (an event loop): {@code send} only queues
 * the record, and may block only while the topic's metadata is unknown or the buffer is full, for at most
 * the producer's {@code max.block.ms}, which the service keeps short (see {@code kafka.IngestProducers}).
 * The producer is shared and closed by its owner, not here.
 */
public final class KafkaClaimLog implements ClaimLog {

    private final Producer<String, IdempotencyRecord> producer;
    private final Consumer<String, IdempotencyRecord> consumer;
    private final String threadName;
    private LogFollower<IdempotencyRecord> follower;

    public KafkaClaimLog(Producer<String, IdempotencyRecord> producer, Consumer<String, IdempotencyRecord> consumer,
                         String threadName) {
        this.producer = producer;
        this.consumer = consumer;
        this.threadName = threadName;
    }

    @Override
    public synchronized void start(Applier applier) {
        if (follower != null) {
            throw new IllegalStateException("claim log already started");
        }
        // The sink runs on the follower's thread, started after the field is set.
        follower = new LogFollower<>(Topics.INGEST_IDEMPOTENCY, consumer, record -> applier.apply(record.key(),
                record.value(), payloadOf(record), follower.presentAtStart(record)), threadName);
        follower.start();
    }

    private static ClaimPayload payloadOf(ConsumerRecord<String, IdempotencyRecord> record) {
        Header subject = record.headers().lastHeader(ClaimPayload.SUBJECT_HEADER);
        Header content = record.headers().lastHeader(ClaimPayload.CONTENT_HEADER);
        if (subject == null || content == null) {
            return null;
        }
        return new ClaimPayload(new String(subject.value(), StandardCharsets.UTF_8), content.value());
    }

    /** Completes once the records present at start are applied: the table is then complete. */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    @Override
    public CompletableFuture<Void> append(String recordKey, IdempotencyRecord record, ClaimPayload payload) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        ProducerRecord<String, IdempotencyRecord> producerRecord =
                new ProducerRecord<>(Topics.INGEST_IDEMPOTENCY.name(), recordKey, record);
        if (payload != null) {
            attach(producerRecord.headers(), payload);
        }
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
            // Metadata or buffer space did not come within max.block.ms, or the record could not be serialized.
            applied.completeExceptionally(e);
        }
        return applied;
    }

    private static void attach(Headers headers, ClaimPayload payload) {
        headers.add(ClaimPayload.SUBJECT_HEADER, payload.subjectId().getBytes(StandardCharsets.UTF_8));
        headers.add(ClaimPayload.CONTENT_HEADER, payload.sealedContent());
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }
}
