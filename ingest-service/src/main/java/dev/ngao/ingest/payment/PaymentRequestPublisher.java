package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.ops.KafkaSendObserver;
import dev.ngao.schemas.topics.Topics;
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
 * Writes payment request events and reports, as a Vert.x future, when Kafka acknowledged them (acks=all,
 * idempotent producer). {@code send} may block on metadata or a full buffer, so it runs on a worker
 * thread; the acknowledgement is brought back to the caller's context. A request that is not
 * acknowledged within the timeout fails, and the caller must not claim it accepted.
 */
public final class PaymentRequestPublisher implements AutoCloseable {

    private final Vertx vertx;
    private final Producer<String, PaymentRequest> producer;
    private final long timeoutMs;
    private final KafkaSendObserver sends;

    public PaymentRequestPublisher(Vertx vertx, Producer<String, PaymentRequest> producer, long timeoutMs) {
        this(vertx, producer, timeoutMs, KafkaSendObserver.NONE);
    }

    /** @param sends told how long each write took until acknowledged, failed or timed out */
    public PaymentRequestPublisher(Vertx vertx, Producer<String, PaymentRequest> producer, long timeoutMs,
                                   KafkaSendObserver sends) {
        this.vertx = vertx;
        this.producer = producer;
        this.timeoutMs = timeoutMs;
        this.sends = sends;
    }

    /** Keyed by the account id: every request of one wallet lands on one partition, where its limits are counted. */
    public Future<RecordMetadata> publish(PaymentRequest event) {
        ProducerRecord<String, PaymentRequest> record =
                new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), event.getAccountId(), event);
        Context context = vertx.getOrCreateContext();
        long startedNanos = System.nanoTime();
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
        return acknowledged.future().onComplete(written -> {
            vertx.cancelTimer(timer);
            sends.sent(record.topic(), System.nanoTime() - startedNanos, written.succeeded());
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
