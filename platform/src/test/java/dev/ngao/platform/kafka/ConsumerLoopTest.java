package dev.ngao.platform.kafka;

import dev.ngao.platform.kafka.ConsumerLoop.Commit;
import dev.ngao.platform.kafka.ConsumerLoop.Undecodable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ConsumerLoopTest {

    private static final TopicPartition PARTITION = new TopicPartition("payments.example", 0);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(20);

    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final List<String> handled = new CopyOnWriteArrayList<>();

    ConsumerLoopTest() {
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    @Test
    void shouldCommitTheNextOffsetWhenTheHandlerReturned() {
        // Given
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.AFTER_HANDLE, Undecodable.STOP).build();
        add(0, "a");
        add(1, "b");

        // When
        int count = loop.pollOnce();

        // Then
        assertThat(count).isEqualTo(2);
        assertThat(handled).containsExactly("a", "b");
        assertThat(committed()).isEqualTo(2L);
    }

    @Test
    void shouldCommitNothingWhenThePolicyIsNone() {
        // Given
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.NONE, Undecodable.STOP).build();
        add(0, "a");

        // When
        loop.pollOnce();

        // Then
        assertThat(handled).containsExactly("a");
        assertThat(consumer.committed(Set.of(PARTITION)).get(PARTITION)).isNull();
    }

    @Test
    void shouldStopAndReportWithoutCommittingWhenTheHandlerFails() {
        // Given
        IllegalStateException broken = new IllegalStateException("broken");
        ConsumerLoop loop = loop(records -> {
            throw broken;
        }, Commit.AFTER_HANDLE, Undecodable.STOP).closeConsumers(Duration.ofSeconds(1)).build();
        add(0, "a");

        // When / Then
        assertThatThrownBy(loop::run).isSameAs(broken);
        assertThat(loop.failure()).containsSame(broken);
        assertThat(loop.alive()).isFalse();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldReadTheBatchAgainWhenARetryableFailureIsRetried() {
        // Given
        AtomicInteger attempts = new AtomicInteger();
        ConsumerLoop loop = loop(records -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("store busy");
            }
            records.forEach(record -> handled.add(record.value()));
        }, Commit.AFTER_HANDLE, Undecodable.STOP).retryAfter(Duration.ofMillis(1), IllegalStateException.class)
                .build();
        add(0, "a");
        loop.pollOnce();
        assertThat(consumer.position(PARTITION)).isZero();
        assertThat(committed()).isNull();
        add(0, "a"); // what the broker returns after the seek back

        // When
        loop.pollOnce();

        // Then
        assertThat(attempts).hasValue(2);
        assertThat(handled).containsExactly("a");
        assertThat(committed()).isEqualTo(1L);
    }

    @Test
    void shouldGoOnAndCommitLaterWhenACommitTimesOut() {
        // Given a broker that does not answer the first commit in time (away longer than the commit's timeout)
        AtomicInteger commits = new AtomicInteger();
        MockConsumer<String, String> flaky = new MockConsumer<>("earliest") {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                if (commits.incrementAndGet() == 1) {
                    throw new org.apache.kafka.common.errors.TimeoutException("commit timed out after 60000 ms");
                }
                super.commitSync(offsets);
            }
        };
        flaky.assign(List.of(PARTITION));
        flaky.updateBeginningOffsets(Map.of(PARTITION, 0L));
        ConsumerLoop loop = ConsumerLoop.builder("flaky-loop").pollTimeout(POLL_TIMEOUT).backoff(Duration.ofMillis(1))
                .source(flaky, ConsumerLoop.eachValue(handled::add), Commit.AFTER_HANDLE, Undecodable.STOP).build();
        flaky.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 0, "k", "a"));

        // When the first batch's commit fails, and a second batch comes
        loop.pollOnce();
        flaky.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 1, "k", "b"));
        loop.pollOnce();

        // Then the loop went on, and the second commit covers both batches
        assertThat(loop.failure()).isEmpty();
        assertThat(handled).containsExactly("a", "b");
        assertThat(flaky.committed(Set.of(PARTITION)).get(PARTITION).offset()).isEqualTo(2L);
    }

    @Test
    void shouldEndAtOnceWhenStoppedWhilePolling() throws Exception {
        // Given
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.AFTER_HANDLE, Undecodable.STOP)
                .closeConsumers(Duration.ofSeconds(1)).build();
        loop.start();
        add(0, "a");
        await().atMost(5, TimeUnit.SECONDS).until(() -> handled.size() == 1);

        // When
        loop.close(Duration.ofSeconds(5));

        // Then
        assertThat(loop.alive()).isFalse();
        assertThat(loop.failure()).isEmpty();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldCommitTheBatchInHandWhenStoppedWhileHandling() {
        // Given
        List<ConsumerLoop> self = new ArrayList<>();
        ConsumerLoop loop = loop(records -> {
            records.forEach(record -> handled.add(record.value()));
            self.get(0).stop();
        }, Commit.AFTER_HANDLE, Undecodable.STOP).build();
        self.add(loop);
        add(0, "a");

        // When
        loop.run();

        // Then
        assertThat(handled).containsExactly("a");
        assertThat(committed()).isEqualTo(1L);
        assertThat(loop.failure()).isEmpty();
    }

    @Test
    void shouldSkipAndCommitPastAnUndecodableRecordWhenSkipping() {
        // Given
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.AFTER_HANDLE, Undecodable.SKIP).build();
        consumer.setPollException(undecodableAt(0));

        // When
        loop.pollOnce();

        // Then
        assertThat(consumer.position(PARTITION)).isEqualTo(1L);
        assertThat(committed()).isEqualTo(1L);
    }

    @Test
    void shouldStayOnAnUndecodableRecordWhenWaiting() {
        // Given
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.NONE, Undecodable.WAIT)
                .backoff(Duration.ofMillis(1)).build();
        add(0, "a");
        add(1, "b");
        loop.pollOnce();
        consumer.setPollException(undecodableAt(2));

        // When
        loop.pollOnce();

        // Then
        assertThat(consumer.position(PARTITION)).isEqualTo(2L);
        assertThat(handled).containsExactly("a", "b");
    }

    @Test
    void shouldStopWhenAnUndecodableRecordStopsTheLoop() {
        // Given
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.AFTER_HANDLE, Undecodable.STOP).build();
        consumer.setPollException(undecodableAt(0));

        // When / Then
        assertThatThrownBy(loop::run).isInstanceOf(RecordDeserializationException.class);
        assertThat(loop.failure()).isPresent();
    }

    @Test
    void shouldCommitEachRecordOnceHandledWhenThePolicyIsEachRecord() {
        // Given a handler that sees what was committed when it is called
        List<Long> committedWhenCalled = new ArrayList<>();
        ConsumerLoop loop = loop(records -> {
            assertThat(records.count()).isEqualTo(1);
            committedWhenCalled.add(committed());
            records.forEach(record -> handled.add(record.value()));
        }, Commit.EACH_RECORD, Undecodable.STOP).build();
        add(0, "a");
        add(1, "b");

        // When
        int count = loop.pollOnce();

        // Then the second record was handed over only once the first was committed
        assertThat(count).isEqualTo(2);
        assertThat(handled).containsExactly("a", "b");
        assertThat(committedWhenCalled).containsExactly(null, 1L);
        assertThat(committed()).isEqualTo(2L);
    }

    @Test
    void shouldEndTheBatchWhenTheGroupRefusesACommitOfEachRecord() {
        // Given a group that rebalanced during the first record
        MockConsumer<String, String> rebalanced = new MockConsumer<>("earliest") {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                throw new org.apache.kafka.common.errors.RebalanceInProgressException("rebalancing");
            }
        };
        rebalanced.assign(List.of(PARTITION));
        rebalanced.updateBeginningOffsets(Map.of(PARTITION, 0L));
        ConsumerLoop loop = ConsumerLoop.builder("rebalanced-loop").pollTimeout(POLL_TIMEOUT)
                .source(rebalanced, ConsumerLoop.eachValue(handled::add), Commit.EACH_RECORD, Undecodable.STOP)
                .build();
        rebalanced.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 0, "k", "a"));
        rebalanced.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 1, "k", "b"));

        // When
        loop.pollOnce();

        // Then the rest of the batch is left to whoever owns the partition now, and the loop goes on
        assertThat(handled).containsExactly("a");
        assertThat(loop.failure()).isEmpty();
    }

    @Test
    void shouldRunTheEndOfTheRoundWithoutStoppingWhenWokenUp() {
        // Given a loop whose end of round counts
        AtomicInteger rounds = new AtomicInteger();
        ConsumerLoop loop = ConsumerLoop.builder("woken-loop").pollTimeout(Duration.ofMinutes(10))
                .source(consumer, ConsumerLoop.eachValue(handled::add), Commit.NONE, Undecodable.STOP)
                .afterRound(rounds::incrementAndGet).build();

        // When woken up before a ten-minute poll
        loop.wakeUp();
        loop.pollOnce();
        add(0, "a");
        loop.pollOnce();

        // Then the poll ended at once, the round ended, and the loop goes on reading
        assertThat(rounds).hasValue(2);
        assertThat(handled).containsExactly("a");
        assertThat(loop.alive()).isTrue();
        assertThat(loop.failure()).isEmpty();
    }

    @Test
    void shouldRetryTheEndOfARoundWhenItsFailureIsRetryable() {
        // Given an end of round that fails once
        AtomicInteger rounds = new AtomicInteger();
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.NONE, Undecodable.STOP)
                .retryAfter(Duration.ofMillis(1), IllegalStateException.class)
                .afterRound(() -> {
                    if (rounds.incrementAndGet() == 1) {
                        throw new IllegalStateException("view busy");
                    }
                }).build();

        // When
        loop.pollOnce();
        loop.pollOnce();

        // Then
        assertThat(rounds).hasValue(2);
        assertThat(loop.failure()).isEmpty();
    }

    @Test
    void shouldStopWhenTheEndOfARoundFailsWithoutRetry() {
        // Given
        IllegalStateException broken = new IllegalStateException("broken");
        ConsumerLoop loop = loop(ConsumerLoop.eachValue(handled::add), Commit.NONE, Undecodable.STOP)
                .afterRound(() -> {
                    throw broken;
                }).build();

        // When / Then
        assertThatThrownBy(loop::run).isSameAs(broken);
    }

    @Test
    void shouldRefuseALoopWithoutPollTimeoutOrSource() {
        assertThatThrownBy(() -> ConsumerLoop.builder("empty").pollTimeout(POLL_TIMEOUT).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsumerLoop.builder("no-timeout")
                .source(consumer, ConsumerLoop.eachValue(handled::add), Commit.NONE, Undecodable.STOP).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ConsumerLoop.Builder loop(ConsumerLoop.BatchHandler<String, String> handler, Commit commit,
                                      Undecodable undecodable) {
        return ConsumerLoop.builder("test-loop").pollTimeout(POLL_TIMEOUT)
                .source(consumer, handler, commit, undecodable);
    }

    private void add(long offset, String value) {
        consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, "key", value));
    }

    private Long committed() {
        OffsetAndMetadata committed = consumer.committed(Set.of(PARTITION)).get(PARTITION);
        return committed == null ? null : committed.offset();
    }

    private static RecordDeserializationException undecodableAt(long offset) {
        return new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                PARTITION, offset, 0L, TimestampType.CREATE_TIME, ByteBuffer.allocate(0), ByteBuffer.allocate(0),
                null, "cannot decode", null);
    }
}
