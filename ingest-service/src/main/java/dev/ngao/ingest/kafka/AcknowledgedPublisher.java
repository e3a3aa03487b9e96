package dev.ngao.ingest.kafka;

import dev.ngao.platform.observability.TraceContext;
import dev.ngao.schemas.topics.CleanupPolicy;
import dev.ngao.schemas.topics.Topic;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Writes the events of one declared topic and reports, as Vert.x futures, when Kafka acknowledged them
 * (acks=all, idempotent producer). The one publisher of the ingest service: every route and webhook that
 * answers after a write uses it. The record is handed to the producer on the caller's thread (an event
 * loop): {@code send} only queues it, blocking only while the topic's metadata is unknown or the producer's
 * buffer is full, and then for at most the producer's {@code max.block.ms}, which ingest keeps short
 * ({@link IngestProducers}; metadata is fetched at start). A worker-thread hop per write cost more than it
 * saved. The acknowledgement is brought back to the caller's context. An answer must wait for
 * {@link Publication#acknowledged()}, which fails after the timeout, and the caller must then not claim the
 * write accepted; {@link Publication#settled()} tells what finally happened to a write whose
 * acknowledgement came too late for the answer. Compacted topics also take tombstones. A write made for an
 * HTTP request carries that request's W3C {@code traceparent} as a record header.
 *
 * @param <K> the topic's key type
 * @param <V> the topic's value type
 */
public final class AcknowledgedPublisher<K, V> implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Producer<K, V> producer;
    private final Topic<K, V> topic;
    private final long timeoutMs;

    /** @param timeoutMs how long an answer waits for the acknowledgement before it fails */
    public AcknowledgedPublisher(Vertx vertx, Producer<K, V> producer, Topic<K, V> topic, long timeoutMs) {
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("timeoutMs must be positive");
        }
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeoutMs = timeoutMs;
    }

    public Topic<K, V> topic() {
        return topic;
    }

    /** Writes {@code value} under {@code key}. */
    public Publication publish(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value: use tombstone() to remove a key of a compacted topic");
        return send(new ProducerRecord<>(topic.name(), key, value));
    }

    /** Writes a tombstone (null value) for {@code key}: compaction then removes the key. Compacted topics only. */
    public Publication tombstone(K key) {
        Objects.requireNonNull(key, "key");
        if (topic.cleanupPolicy() != CleanupPolicy.COMPACT) {
            throw new IllegalStateException("tombstones belong on compacted topics, not on " + topic.name());
        }
        return send(new ProducerRecord<>(topic.name(), key, null));
    }

    private Publication send(ProducerRecord<K, V> record) {
        Context context = vertx.getOrCreateContext();
        // Read on the caller's context: an HTTP request's own, where RequestAudit kept its trace.
        TraceContext.current().ifPresent(trace -> trace.writeTo(record.headers()));
        Promise<RecordMetadata> settled = Promise.promise();
        Promise<RecordMetadata> acknowledged = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> acknowledged.tryFail(
                new TimeoutException("Kafka did not acknowledge within " + timeoutMs + " ms")));
        try {
            producer.send(record, (metadata, error) -> context.runOnContext(ignored -> {
                if (error == null) {
                    settled.tryComplete(metadata);
                } else {
                    settled.tryFail(error);
                }
            }));
        } catch (RuntimeException e) {
            // No metadata or buffer space within max.block.ms, or the record could not be serialized.
            settled.tryFail(e);
        }
        settled.future().onComplete(outcome -> {
            vertx.cancelTimer(timer);
            if (outcome.succeeded()) {
                acknowledged.tryComplete(outcome.result());
            } else {
                acknowledged.tryFail(outcome.cause());
            }
        });
        return new Publication(acknowledged.future(), settled.future());
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }

    /**
     * One write: {@code acknowledged} completes with the position once Kafka acknowledged, or fails (also
     * after the timeout); {@code settled} completes or fails when Kafka's own delivery timeout decides.
     */
    public record Publication(Future<RecordMetadata> acknowledged, Future<RecordMetadata> settled) {

        /** Whether the answer gave up waiting while the write itself may still land. */
        public boolean undecided() {
            return acknowledged.failed() && acknowledged.cause() instanceof TimeoutException && !settled.isComplete();
        }
    }
}
