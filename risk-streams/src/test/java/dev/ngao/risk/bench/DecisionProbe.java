package dev.ngao.risk.bench;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Asks risk-streams about a few requests outside any phase and waits for its decisions: used to check that
 * default.yaml is in force, that a phase's cards are known before the phase starts, and to load those cards.
 * Probe requests have transaction ids no phase reads.
 */
final class DecisionProbe implements AutoCloseable {

    private final KafkaProducer<String, PaymentRequest> producer;
    private final KafkaConsumer<String, RiskDecision> consumer;
    private final List<TopicPartition> partitions;
    private final Runnable healthCheck;
    private int asked;

    /** {@code healthCheck} throws when the service stopped, so that a wait fails with the cause, not a timeout. */
    DecisionProbe(KafkaContext kafka, Runnable healthCheck) {
        this.healthCheck = healthCheck;
        this.producer = kafka.producer(Topics.PAYMENT_REQUESTS, "bench-probe");
        this.consumer = kafka.consumer(Topics.RISK_DECISIONS, "bench-probe-reader", null);
        this.partitions = consumer.partitionsFor(Topics.RISK_DECISIONS.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
    }

    /** A transaction id no phase uses. */
    String nextTransactionId() {
        return "probe-" + (++asked);
    }

    /** The decisions on {@code requests}, those that came within {@code timeout}. */
    Map<String, RiskDecision> ask(List<PaymentRequest> requests, Duration timeout) throws Exception {
        healthCheck.run();
        skipEarlierDecisions();
        // Sent together, then awaited: a phase's card loads are thousands of requests.
        List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
        for (PaymentRequest request : requests) {
            sent.add(producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), request.getAccountId(),
                    request)));
        }
        producer.flush();
        for (Future<RecordMetadata> future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
        Map<String, RiskDecision> decided = new HashMap<>();
        Map<String, PaymentRequest> waiting = new HashMap<>();
        requests.forEach(request -> waiting.put(request.getTransactionId(), request));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (decided.size() < waiting.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, RiskDecision> record : consumer.poll(Duration.ofMillis(100))) {
                if (waiting.containsKey(record.value().getTransactionId())) {
                    decided.put(record.value().getTransactionId(), record.value());
                }
            }
        }
        return decided;
    }

    /** Positions the reader at the end, so that it does not read through the phases' decisions. */
    private void skipEarlierDecisions() {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
