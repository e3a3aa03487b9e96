package dev.ngao.ingest.status;

import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads every partition of one topic from the beginning, on its own thread, and hands each value to a
 * callback. No consumer group: the reader assigns partitions itself and commits nothing, because what it
 * builds lives in memory and is rebuilt from offset zero at each start.
 */
public final class TopicFollower<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final long RETRY_BACKOFF_MS = 1_000;
    private static final long JOIN_TIMEOUT_MS = 10_000;

    private final Topic<String, V> topic;
    private final KafkaConsumer<String, V> consumer;
    private final Consumer<V> callback;
    private final Thread thread;
    private volatile boolean running = true;

    public TopicFollower(Topic<String, V> topic, KafkaConsumer<String, V> consumer, Consumer<V> callback, String threadName) {
        this.topic = topic;
        this.consumer = consumer;
        this.callback = callback;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            boolean assigned = false;
            while (running && !assigned) {
                assigned = tryAssignAllPartitions();
            }
            while (running) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Follower of {} woken up while running", topic.name(), e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean tryAssignAllPartitions() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), METADATA_TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " has no partitions yet");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            LOG.info("Following {} partitions of {} from the beginning", partitions.size(), topic.name());
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Cannot assign the partitions of {}; retrying in {} ms", topic.name(), RETRY_BACKOFF_MS, e);
            pause();
            return false;
        }
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<String, V> record : consumer.poll(POLL_TIMEOUT)) {
                apply(record);
            }
        } catch (RecordDeserializationException e) {
            // One unreadable record must not stop the view: skip it, say where it was.
            LOG.error("Skipping unreadable record of {} at offset {}", e.topicPartition(), e.offset(), e);
            consumer.seek(e.topicPartition(), e.offset() + 1);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Cannot read {}; retrying in {} ms", topic.name(), RETRY_BACKOFF_MS, e);
            pause();
        }
    }

    private void apply(ConsumerRecord<String, V> record) {
        if (record.value() == null) {
            return;
        }
        try {
            callback.accept(record.value());
        } catch (RuntimeException e) {
            LOG.error("Cannot apply record of {}-{} at offset {}", record.topic(), record.partition(), record.offset(), e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_BACKOFF_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(JOIN_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
