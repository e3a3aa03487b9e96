package dev.ngao.console;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the console's topics from their beginning into {@link ConsoleViews}, then follows them. No consumer
 * group: the views live in memory, so every start rebuilds them from the topics (bounded by the topics'
 * retention), and nothing is committed. An undecodable record is skipped and named; the rest goes on.
 */
final class ViewFeed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewFeed.class);

    private final List<Source<?>> sources;
    private final Duration pollTimeout;
    private final Runnable caughtUp;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean alive = true;

    /** One topic: its consumer and what each value does to the views. */
    record Source<V>(String topic, Consumer<String, V> consumer, java.util.function.Consumer<V> apply) {
    }

    ViewFeed(List<Source<?>> sources, Duration pollTimeout, Runnable caughtUp) {
        this.sources = List.copyOf(sources);
        this.pollTimeout = pollTimeout;
        this.caughtUp = caughtUp;
    }

    @Override
    public void run() {
        try {
            List<Map<TopicPartition, Long>> ends = new ArrayList<>();
            for (Source<?> source : sources) {
                ends.add(assignFromBeginning(source));
            }
            boolean behind = true;
            while (running.get()) {
                for (Source<?> source : sources) {
                    pollOnce(source);
                }
                if (behind && reached(ends)) {
                    behind = false;
                    caughtUp.run();
                    LOG.info("Console views caught up with {} topics", sources.size());
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            alive = false;
        }
    }

    boolean alive() {
        return alive;
    }

    void stop() {
        running.set(false);
        sources.forEach(source -> source.consumer().wakeup());
    }

    private static Map<TopicPartition, Long> assignFromBeginning(Source<?> source) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : source.consumer().partitionsFor(source.topic())) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        source.consumer().assign(partitions);
        source.consumer().seekToBeginning(partitions);
        return source.consumer().endOffsets(partitions);
    }

    private boolean reached(List<Map<TopicPartition, Long>> ends) {
        for (int index = 0; index < sources.size(); index++) {
            Consumer<String, ?> consumer = sources.get(index).consumer();
            for (Map.Entry<TopicPartition, Long> end : ends.get(index).entrySet()) {
                if (consumer.position(end.getKey()) < end.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private <V> void pollOnce(Source<V> source) {
        ConsumerRecords<String, V> records;
        try {
            records = source.consumer().poll(pollTimeout.dividedBy(sources.size()));
        } catch (RecordDeserializationException e) {
            LOG.error("Skipping undecodable record at {} offset {}: {}", e.topicPartition(), e.offset(), e.getMessage());
            source.consumer().seek(e.topicPartition(), e.offset() + 1);
            return;
        }
        for (ConsumerRecord<String, V> record : records) {
            if (record.value() != null) {
                source.apply().accept(record.value());
            }
        }
    }
}
