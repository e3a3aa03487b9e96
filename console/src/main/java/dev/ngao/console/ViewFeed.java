package dev.ngao.console;

import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.ConsumerLoop.Commit;
import dev.ngao.platform.kafka.ConsumerLoop.Undecodable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the console's topics from their beginning into {@link ConsoleViews}, then follows them. No consumer
 * group: the views live in memory, so every start rebuilds them from the topics (bounded by the topics'
 * retention), and nothing is committed. An undecodable record is skipped and named; the rest goes on.
 */
final class ViewFeed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewFeed.class);

    private final List<Source<?>> sources;
    private final Runnable caughtUp;
    private final List<Map<TopicPartition, Long>> ends = new ArrayList<>();
    private final ConsumerLoop loop;
    private boolean behind = true;

    /** One topic: its consumer and what each value does to the views. */
    record Source<V>(String topic, Consumer<String, V> consumer, java.util.function.Consumer<V> apply) {
    }

    ViewFeed(List<Source<?>> sources, Duration pollTimeout, Runnable caughtUp) {
        this.sources = List.copyOf(sources);
        this.caughtUp = caughtUp;
        ConsumerLoop.Builder builder = ConsumerLoop.builder("console-feed")
                .pollTimeout(pollTimeout)
                .beforeFirstPoll(this::assignFromBeginning)
                .afterRound(this::tellWhenCaughtUp);
        this.sources.forEach(source -> add(builder, source));
        this.loop = builder.build();
    }

    private static <V> void add(ConsumerLoop.Builder builder, Source<V> source) {
        builder.source(source.consumer(), ConsumerLoop.eachValue(source.apply()), Commit.NONE, Undecodable.SKIP);
    }

    /** Feeds the views until {@link #stop()}; a failure ends it and is rethrown. */
    @Override
    public void run() {
        loop.run();
    }

    boolean alive() {
        return loop.alive();
    }

    void stop() {
        loop.stop();
    }

    private void assignFromBeginning() {
        for (Source<?> source : sources) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : source.consumer().partitionsFor(source.topic())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            source.consumer().assign(partitions);
            source.consumer().seekToBeginning(partitions);
            ends.add(source.consumer().endOffsets(partitions));
        }
    }

    private void tellWhenCaughtUp() {
        if (behind && reached()) {
            behind = false;
            caughtUp.run();
            LOG.info("Console views caught up with {} topics", sources.size());
        }
    }

    private boolean reached() {
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
}
