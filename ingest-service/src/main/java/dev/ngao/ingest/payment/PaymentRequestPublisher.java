package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.AcknowledgedPublisher.Publication;
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

    public PaymentRequestPublisher(Vertx vertx, Producer<String, PaymentRequest> producer, long timeoutMs) {
        this.publisher = new AcknowledgedPublisher<>(vertx, producer, Topics.PAYMENT_REQUESTS, timeoutMs);
    }

    /** Keyed by the account id: every request of one wallet lands on one partition, where its limits are counted. */
    public Future<RecordMetadata> publish(PaymentRequest event) {
        return publishTracked(event).acknowledged();
    }

    /** As {@link #publish}, also telling what became of a write whose acknowledgement came too late. */
    public Publication publishTracked(PaymentRequest event) {
        return publisher.publish(event.getAccountId(), event);
    }

    @Override
    public void close() {
        publisher.close();
    }
}
