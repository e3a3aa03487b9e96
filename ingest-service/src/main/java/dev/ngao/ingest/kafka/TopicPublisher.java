package dev.ngao.ingest.kafka;

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
 * Writes the events of one declared topic and reports, as a Vert.x future, when Kafka acknowledged them
 * (acks=all, idempotent producer). {@code send} may block on metadata or a full buffer, so it runs on a
 * worker thread; the acknowledgement is brought back to the caller's context. A write that is not
 * acknowledged within the timeout fails, and the caller must not claim it accepted.
 *
 * @param <V> the topic's value type
 */
public final class TopicPublisher<V> implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Topic<String, V> topic;
    private final Producer<String, V> producer;
    private final long timeoutMs;

    public TopicPublisher(Vertx vertx, Topic<String, V> topic, Producer<String, V> producer, long timeoutMs) {
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("timeoutMs must be positive");
        }
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.timeoutMs = timeoutMs;
    }

    public Topic<String, V> topic() {
        return topic;
    }

    /** Writes {@code value} under {@code key}; completes on the caller's context once Kafka acknowledged it. */
    public Future<RecordMetadata> publish(String key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value: use tombstone() to remove a key of a compacted topic");
        return send(new ProducerRecord<>(topic.name(), key, value));
    }

    /** Writes a tombstone (null value) for {@code key}: compaction then removes the key. Compacted topics only. */
    public Future<RecordMetadata> tombstone(String key) {
        Objects.requireNonNull(key, "key");
        if (topic.cleanupPolicy() != CleanupPolicy.COMPACT) {
            throw new IllegalStateException("tombstones belong on compacted topics, not on " + topic.name());
        }
        return send(new ProducerRecord<>(topic.name(), key, null));
    }

    private Future<RecordMetadata> send(ProducerRecord<String, V> record) {
        Context context = vertx.getOrCreateContext();
        Promise<RecordMetadata> acknowledged = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> acknowledged.tryFail(
                new TimeoutException("Kafka did not acknowledge within " + timeoutMs + " ms")));
        vertx.executeBlocking(() -> producer.send(record, (metadata, error) -> context.runOnContext(ignored -> {
                    if (error == null) {
                        acknowledged.tryComplete(metadata);
                    } else {
                        acknowledged.tryFail(error);
                    }
                })), false)
                .onFailure(acknowledged::tryFail);
        return acknowledged.future().onComplete(ignored -> vertx.cancelTimer(timer));
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
