package dev.ngao.sandbox;

import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Follows a topic as an analyst would (read_committed, no consumer group) from the moment it is made,
 * handing each record to a handler on its own thread.
 */
public final class TopicTail<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

    private final KafkaConsumer<String, V> consumer;
    private final Consumer<ConsumerRecord<String, V>> handler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;

    public TopicTail(KafkaContext kafka, Topic<String, V> topic, Consumer<ConsumerRecord<String, V>> handler) {
        this.handler = handler;
        this.consumer = kafka.consumer(topic, "ngao-tail-" + topic.name(), null);
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end positions now, so records written after this constructor are all seen.
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::run, "tail-" + topic.name());
        this.thread.setDaemon(true);
    }

    public void start() {
        started = true;
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(record);
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer: the normal way out.
        } catch (RuntimeException e) {
            LOG.error("Following {} stopped", thread.getName(), e);
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
