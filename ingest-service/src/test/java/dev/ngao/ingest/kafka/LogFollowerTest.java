package dev.ngao.ingest.kafka;

import dev.ngao.schemas.topics.CleanupPolicy;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Writer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The follower against Kafka's mock consumer: what it applies, what it passes over, whom it tells. */
class LogFollowerTest {

    private static final Topic<String, String> TOPIC = new Topic<>("test.followed", String.class, String.class, 1,
            CleanupPolicy.DELETE, Duration.ofDays(1), Writer.INGEST_SERVICE, "a topic the follower reads");
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC.name(), 0);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private LogFollower<String> follower;

    @BeforeEach
    void start() {
        // Given a topic holding two records when the follower starts, the first of which its sink cannot apply
        consumer.updatePartitions(TOPIC.name(), List.of(new PartitionInfo(TOPIC.name(), 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 2L));
        follower = new LogFollower<>(TOPIC, consumer, record -> {
            if (record.value().equals("broken")) {
                throw new IllegalStateException("the sink cannot apply this one");
            }
            applied.add(record.value());
        }, "test-follower");
        follower.start();
        await().atMost(WAIT).until(() -> !consumer.assignment().isEmpty());
        consumer.addRecord(record(0, "broken"));
        consumer.addRecord(record(1, "a"));
    }

    @AfterEach
    void stop() {
        follower.close();
    }

    @Test
    void shouldPassOverARecordTheSinkFailsOnAndTellWhenCaughtUp() throws Exception {
        // When
        follower.caughtUp().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        // Then
        assertThat(applied).containsExactly("a");
        assertThat(follower.awaitApplied(0, 1)).isDone();
    }

    @Test
    void shouldAnswerAnEndRequestOnceEverythingWrittenBeforeItIsApplied() throws Exception {
        // Given the follower caught up, and one more record written
        follower.caughtUp().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        consumer.updateEndOffsets(Map.of(PARTITION, 3L));
        consumer.addRecord(record(2, "b"));

        // When
        follower.awaitEnd().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        // Then
        assertThat(applied).containsExactly("a", "b");
    }

    @Test
    void shouldSkipAnUnreadableRecordAndApplyTheNextOne() throws Exception {
        // Given a record that cannot be decoded after those present at start
        follower.caughtUp().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, PARTITION, 2, 0L,
                TimestampType.CREATE_TIME, ByteBuffer.allocate(0), ByteBuffer.allocate(0), null, "cannot decode",
                null));
        await().atMost(WAIT).until(() -> consumer.position(PARTITION) == 3L);

        // When the next one comes
        consumer.addRecord(record(3, "c"));

        // Then it is applied
        follower.awaitApplied(0, 3).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(applied).containsExactly("a", "c");
    }

    @Test
    void shouldFailWaitersAndCloseTheConsumerWhenClosed() {
        // Given a reader waiting for a record not yet written
        CompletableFuture<Void> waiting = follower.awaitApplied(0, 10);

        // When
        follower.close();

        // Then
        assertThatThrownBy(() -> waiting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("stopped");
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldAskItsEndOffsetReaderForTheEndAndNotTheConsumerItPolls() throws Exception {
        // Given a follower with an end offset reader of its own, caught up with a topic of two records (the end
        // at start known to the reader only)
        CountingEndOffsets polled = new CountingEndOffsets();
        polled.updatePartitions(TOPIC.name(), List.of(new PartitionInfo(TOPIC.name(), 0, null, null, null)));
        polled.updateBeginningOffsets(Map.of(PARTITION, 0L));
        MockConsumer<String, String> reader = new MockConsumer<>("earliest");
        reader.updateEndOffsets(Map.of(PARTITION, 2L));
        List<String> read = new CopyOnWriteArrayList<>();
        LogFollower<String> withReader = LogFollower.ofValues(TOPIC, polled, reader, read::add, "test-follower-reader");
        try {
            withReader.start();
            await().atMost(WAIT).until(() -> !polled.assignment().isEmpty());
            polled.addRecord(record(0, "a"));
            polled.addRecord(record(1, "b"));
            withReader.caughtUp().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            // When a third record is written, as only the reader knows, and a reader asks for the end
            reader.updateEndOffsets(Map.of(PARTITION, 3L));
            CompletableFuture<Void> end = withReader.awaitEnd();
            polled.addRecord(record(2, "c"));
            end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            // Then the answer came from the reader's end offsets, once the third record was applied
            assertThat(read).containsExactly("a", "b", "c");
            assertThat(polled.endOffsetCalls).as("end offsets asked of the polling consumer").hasValue(0);
            // And the reader is assigned the partitions it is asked about (read committed, a consumer asked for
            // partitions it is not assigned warns at every call), but never polled
            assertThat(reader.assignment()).containsExactly(PARTITION);
        } finally {
            withReader.close();
        }

        // And closing the follower closed both consumers
        assertThat(polled.closed()).isTrue();
        assertThat(reader.closed()).isTrue();
    }

    /** A mock consumer that counts the calls for its end offsets. */
    private static final class CountingEndOffsets extends MockConsumer<String, String> {
        private final AtomicInteger endOffsetCalls = new AtomicInteger();

        CountingEndOffsets() {
            super("earliest");
        }

        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions,
                                                                 Duration timeout) {
            endOffsetCalls.incrementAndGet();
            return super.endOffsets(partitions, timeout);
        }
    }

    private static ConsumerRecord<String, String> record(long offset, String value) {
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, "key", value);
    }
}
