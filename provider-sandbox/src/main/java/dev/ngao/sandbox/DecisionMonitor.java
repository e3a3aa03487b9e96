package dev.ngao.sandbox;

import dev.ngao.events.RiskDecision;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Reads decisions as an analyst would (read_committed, no consumer group) from the moment it starts,
 * counting outcomes and closing the latency of demo payments.
 */
public final class DecisionMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionMonitor.class);

    private final KafkaConsumer<String, RiskDecision> consumer;
    private final DecisionCounts counts = new DecisionCounts();
    private final LatencyRecorder latency;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    public DecisionMonitor(KafkaContext kafka, LatencyRecorder latency) {
        this.latency = latency;
        this.consumer = kafka.consumer(Topics.RISK_DECISIONS, "ngao-decision-monitor", null);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.RISK_DECISIONS.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end positions now, so decisions made after this constructor are all counted.
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "decision-monitor");
        this.thread.setDaemon(true);
    }

    public void start() {
        started = true;
        thread.start();
    }

    public DecisionCounts counts() {
        return counts;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, RiskDecision> record : consumer.poll(Duration.ofMillis(200))) {
                    long readNanos = System.nanoTime();
                    counts.count(record.value().getOutcome());
                    latency.decided(record.value().getTransactionId(), readNanos);
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer: the normal way out.
        } catch (RuntimeException e) {
            LOG.error("Decision monitor stopped", e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        if (!started) {
            consumer.close();
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
