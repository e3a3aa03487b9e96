package dev.ngao.ingest.kafka;

import dev.ngao.schemas.topics.Topic;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Writes events of one topic and reports, as Vert.x futures, when Kafka acknowledged them (acks=all,
 * idempotent producer). {@code send} may block on metadata or a full buffer, so it runs on a worker
 * thread; the acknowledgement is brought back to the caller's context. An answer must wait for
 * {@link Publication#acknowledged()}, which fails after the timeout; {@link Publication#settled()} tells
 * what finally happened to a write whose acknowledgement came too late for the answer.
 */
public final class AcknowledgedPublisher<K, V> implements AutoCloseable {

    private final Vertx vertx;
    private final Producer<K, V> producer;
    private final Topic<K, V> topic;
    private final long timeoutMs;

    public AcknowledgedPublisher(Vertx vertx, Producer<K, V> producer, Topic<K, V> topic, long timeoutMs) {
        this.vertx = vertx;
        this.producer = producer;
        this.topic = topic;
        this.timeoutMs = timeoutMs;
    }

    public Publication publish(K key, V value) {
        ProducerRecord<K, V> record = new ProducerRecord<>(topic.name(), key, value);
        Context context = vertx.getOrCreateContext();
        Promise<RecordMetadata> settled = Promise.promise();
        Promise<RecordMetadata> acknowledged = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> acknowledged.tryFail(
                new TimeoutException("Kafka did not acknowledge within " + timeoutMs + " ms")));
        vertx.executeBlocking(() -> producer.send(record, (metadata, error) -> context.runOnContext(ignored -> {
                    if (error == null) {
                        settled.tryComplete(metadata);
                    } else {
                        settled.tryFail(error);
                    }
                })), false)
                .onFailure(settled::tryFail);
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
        producer.close(Duration.ofSeconds(5));
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
