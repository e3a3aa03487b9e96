package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.AcknowledgedPublisher.Publication;
import dev.ngao.ingest.ops.KafkaSendObserver;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes payment request events and reports, as a Vert.x future, when Kafka acknowledged them (acks=all,
 * idempotent producer); see {@link AcknowledgedPublisher}. A request that is not acknowledged within the
 * timeout fails, and the caller must not claim it accepted.
 */
public final class PaymentRequestPublisher implements AutoCloseable {

    private final AcknowledgedPublisher<String, PaymentRequest> publisher;
    private final KafkaSendObserver sends;

    public PaymentRequestPublisher(Vertx vertx, Producer<String, PaymentRequest> producer, long timeoutMs) {
        this(vertx, producer, timeoutMs, KafkaSendObserver.NONE);
    }

    /** @param sends told how long each write took until acknowledged, failed or timed out */
    public PaymentRequestPublisher(Vertx vertx, Producer<String, PaymentRequest> producer, long timeoutMs,
                                   KafkaSendObserver sends) {
        this.publisher = new AcknowledgedPublisher<>(vertx, producer, Topics.PAYMENT_REQUESTS, timeoutMs);
        this.sends = sends;
    }

    /** Keyed by the account id: every request of one account lands on one partition, where its limits are counted. */
    public Future<RecordMetadata> publish(PaymentRequest event) {
        return publishTracked(event).acknowledged();
    }

    /** As {@link #publish}, also telling what became of a write whose acknowledgement came too late. */
    public Publication publishTracked(PaymentRequest event) {
        long startedNanos = System.nanoTime();
        Publication publication = publisher.publish(event.getAccountId(), event);
        publication.acknowledged().onComplete(written ->
                sends.sent(Topics.PAYMENT_REQUESTS.name(), System.nanoTime() - startedNanos, written.succeeded()));
        return publication;
    }

    @Override
    public void close() {
        publisher.close();
    }
}
