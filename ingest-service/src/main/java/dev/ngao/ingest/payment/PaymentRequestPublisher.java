package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.kafka.TopicPublisher;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes payment request events, of every payment type, keyed by their account id, and reports when Kafka
 * acknowledged them; a {@link TopicPublisher} of {@code payments.requests} that knows the key.
 */
public final class PaymentRequestPublisher implements AutoCloseable {

    private final TopicPublisher<PaymentRequest> publisher;

    public PaymentRequestPublisher(Vertx vertx, Producer<String, PaymentRequest> producer, long timeoutMs) {
        this.publisher = new TopicPublisher<>(vertx, Topics.PAYMENT_REQUESTS, producer, timeoutMs);
    }

    /** Keyed by the account id: every request of one account lands on one partition, where its limits are counted. */
    public Future<RecordMetadata> publish(PaymentRequest event) {
        return publisher.publish(event.getAccountId(), event);
    }

    @Override
    public void close() {
        publisher.close();
    }
}
