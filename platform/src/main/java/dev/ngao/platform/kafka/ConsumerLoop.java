package dev.ngao.platform.kafka;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one poll loop of Ngao's plain consumers: one thread polls one or more {@link Source}s in turn, each with a
 * bounded poll, and hands each non-empty batch to the source's handler, which holds the logic and nothing of the
 * loop. What the loop decides for every user, explicitly per source:
 * <ul>
 *   <li><b>commits</b>: {@link Commit#AFTER_HANDLE} commits the batch's next offsets once its handler returned
 *       (at least once: a crash between the two reads the batch again); {@link Commit#EACH_RECORD} commits each
 *       record once the handler returned for it, for handlers that take long per record; {@link Commit#NONE}
 *       for followers that assign and seek (their offsets live elsewhere, or nowhere);</li>
 *   <li><b>undecodable records</b>: {@link Undecodable#SKIP} (named in the log, then passed), {@link
 *       Undecodable#WAIT} (read again after the back-off, until the cause is fixed) or {@link Undecodable#STOP};</li>
 *   <li><b>failures</b>: a handler that throws stops the loop, which reports the failure ({@link #failure()}, and
 *       {@link #run()} rethrows it); or, for the failures the caller named in {@link Builder#retryAfter}, the
 *       consumer goes back to the first record of the batch and reads it again after the back-off. A record is
 *       never dropped silently.</li>
 * </ul>
 * Stopping is {@link Consumer#wakeup()}, never a thread interrupt (an interrupt during a Kafka client call or a
 * RocksDB write leaves the client unusable): {@link #stop()} ends a poll or back-off under way at once, and a batch
 * being handled is finished and committed first. {@link #wakeUp()} ends a poll under way without stopping, so that
 * {@code afterRound} runs at once (for rare requests: see there). Kafka consumers are not thread-safe, so the loop's thread is
 * the only user of its consumers, and closes them on its way out when asked to ({@link Builder#closeConsumers}).
 */
public final class ConsumerLoop implements Runnable {

    /** What the loop commits to Kafka. */
    public enum Commit {
        /** The next offsets of each handled batch, synchronously, after its handler returned. */
        AFTER_HANDLE,
        /**
         * The next offset of each record, synchronously, once the handler returned for it: the handler is given one
         * record at a time, in partition order. A commit refused because the group rebalanced ends the batch (its
         * partitions may belong to another member now); the next poll goes on from what the group committed.
         */
        EACH_RECORD,
        /** Nothing: the caller's offsets are elsewhere (stored with its state) or the reader starts afresh. */
        NONE
    }

    /** What the loop does with a record that cannot be deserialized. */
    public enum Undecodable {
        /** Logs its partition and offset and goes on past it (committed past it under AFTER_HANDLE). */
        SKIP,
        /** Stays on it and polls again after the back-off: for records that may hold money. */
        WAIT,
        /** Stops the loop with the exception as its failure. */
        STOP
    }

    /** Handles one non-empty batch of one source. Throwing stops the loop unless the failure is retryable. */
    @FunctionalInterface
    public interface BatchHandler<K, V> {
        void handle(ConsumerRecords<K, V> records);
    }

    /** One consumer polled by the loop, with its handler and policies. */
    public record Source<K, V>(Consumer<K, V> consumer, BatchHandler<K, V> handler, Commit commit,
                               Undecodable undecodable) {
        public Source {
            Objects.requireNonNull(consumer, "consumer");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(commit, "commit");
            Objects.requireNonNull(undecodable, "undecodable");
        }
    }

    /** A batch handler applying {@code handler} to each record in order. */
    public static <K, V> BatchHandler<K, V> eachRecord(java.util.function.Consumer<ConsumerRecord<K, V>> handler) {
        return records -> records.forEach(handler);
    }

    /** A batch handler applying {@code handler} to each record's value in order; tombstones (null) are passed. */
    public static <K, V> BatchHandler<K, V> eachValue(java.util.function.Consumer<V> handler) {
        return records -> {
            for (ConsumerRecord<K, V> record : records) {
                if (record.value() != null) {
                    handler.accept(record.value());
                }
            }
        };
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String name;
    private final List<Source<?, ?>> sources;
    /** Per source, in the same order: a wake-up was asked by {@link #wakeUp()} and not yet met by the consumer. */
    private final List<AtomicBoolean> wakeUps;
    private final Duration pollTimeout;
    private final Duration backoff;
    private final List<Class<? extends RuntimeException>> retryable;
    private final Runnable beforeFirstPoll;
    private final Runnable afterRound;
    private final Duration closeTimeout;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** True from construction, so a health check does not report a loop about to start as dead. */
    private volatile boolean alive = true;
    private Thread thread;

    private ConsumerLoop(Builder builder) {
        this.name = builder.name;
        this.sources = List.copyOf(builder.sources);
        this.wakeUps = sources.stream().map(source -> new AtomicBoolean()).toList();
        this.pollTimeout = builder.pollTimeout;
        this.backoff = builder.backoff;
        this.retryable = List.copyOf(builder.retryable);
        this.beforeFirstPoll = builder.beforeFirstPoll;
        this.afterRound = builder.afterRound;
        this.closeTimeout = builder.closeTimeout;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Runs {@code beforeFirstPoll}, then rounds until {@link #stop()} or a failure, which it rethrows after
     * recording it. Closes the consumers at the end when the builder asked for it.
     */
    @Override
    public void run() {
        try {
            if (!stopping()) {
                beforeFirstPoll.run();
            }
            while (!stopping()) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (!stopping()) {
                fail(new IllegalStateException("consumer loop " + name + " woken up without a stop", e));
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            alive = false;
            closeConsumers();
        }
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }

    /** Runs the loop on a daemon thread named after it; its failure is logged there and kept in {@link #failure()}. */
    public synchronized ConsumerLoop start() {
        if (thread != null) {
            throw new IllegalStateException("consumer loop " + name + " already started");
        }
        thread = new Thread(this::runLogged, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void runLogged() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.error("Consumer loop {} stopped by a failure", name, e);
        }
    }

    /**
     * One round: polls each source once (the poll timeout shared among them), handles and commits what came, then
     * runs {@code afterRound}. Public so that callers can catch up before starting the thread, and tests can step.
     *
     * @return how many records the round handled
     */
    public int pollOnce() {
        Duration each = pollTimeout.dividedBy(sources.size());
        int handled = 0;
        for (int index = 0; index < sources.size(); index++) {
            handled += pollOnce(sources.get(index), wakeUps.get(index), each);
        }
        endRound();
        return handled;
    }

    /** Runs {@code afterRound}; its failures are retried like a handler's when named retryable. */
    private void endRound() {
        try {
            afterRound.run();
        } catch (WakeupException e) {
            // A wake-up asked while no poll was under way meets the first consumer call here instead.
            if (stopping() || wakeUps.stream().noneMatch(wakeUp -> wakeUp.getAndSet(false))) {
                throw e;
            }
        } catch (RuntimeException e) {
            retryOrThrow(e, "the end of a round");
        }
    }

    private <K, V> int pollOnce(Source<K, V> source, AtomicBoolean wakeUp, Duration timeout) {
        ConsumerRecords<K, V> records;
        try {
            records = source.consumer().poll(timeout);
        } catch (RecordDeserializationException e) {
            undecodable(source, wakeUp, e);
            return 0;
        } catch (WakeupException e) {
            if (stopping() || !wakeUp.getAndSet(false)) {
                throw e;
            }
            return 0;
        } catch (RuntimeException e) {
            retryOrThrow(e, "poll");
            return 0;
        }
        if (records.isEmpty()) {
            return 0;
        }
        if (source.commit() == Commit.EACH_RECORD) {
            return handleEachRecord(source, wakeUp, records);
        }
        try {
            source.handler().handle(records);
        } catch (RuntimeException e) {
            retryOrThrow(e, records.count() + " records");
            rewind(source.consumer(), records);
            return 0;
        }
        if (source.commit() == Commit.AFTER_HANDLE) {
            commit(source.consumer(), wakeUp, nextOffsets(records));
        }
        return records.count();
    }

    /** {@link Commit#EACH_RECORD}: one record handled, then committed, at a time. */
    private <K, V> int handleEachRecord(Source<K, V> source, AtomicBoolean wakeUp, ConsumerRecords<K, V> records) {
        int handled = 0;
        List<TopicPartition> partitions = List.copyOf(records.partitions());
        for (int index = 0; index < partitions.size(); index++) {
            TopicPartition partition = partitions.get(index);
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (stopping()) {
                    return handled; // the rest is not committed: it comes again at the next start
                }
                try {
                    source.handler().handle(new ConsumerRecords<>(Map.of(partition, List.of(record)), Map.of()));
                } catch (RuntimeException e) {
                    retryOrThrow(e, "the record at " + partition + " offset " + record.offset());
                    // Read again from this record on; the partitions not reached yet from their first record.
                    source.consumer().seek(partition, record.offset());
                    partitions.subList(index + 1, partitions.size()).forEach(next ->
                            source.consumer().seek(next, records.records(next).get(0).offset()));
                    return handled;
                }
                handled++;
                if (!commit(source.consumer(), wakeUp, Map.of(partition, new OffsetAndMetadata(record.offset() + 1)))) {
                    return handled;
                }
            }
        }
        return handled;
    }

    private void undecodable(Source<?, ?> source, AtomicBoolean wakeUp, RecordDeserializationException e) {
        TopicPartition partition = e.topicPartition();
        switch (source.undecodable()) {
            case SKIP -> {
                LOG.error("Consumer loop {} skips the undecodable record at {} offset {}: {}", name, partition,
                        e.offset(), e.getMessage());
                source.consumer().seek(partition, e.offset() + 1);
                if (source.commit() != Commit.NONE) {
                    commit(source.consumer(), wakeUp, Map.of(partition, new OffsetAndMetadata(e.offset() + 1)));
                }
            }
            case WAIT -> {
                LOG.error("Consumer loop {} cannot decode the record at {} offset {}, retrying in {} ms: {}", name,
                        partition, e.offset(), backoff.toMillis(), e.getMessage());
                source.consumer().seek(partition, e.offset());
                backOff();
            }
            case STOP -> throw e;
        }
    }

    private void retryOrThrow(RuntimeException e, String what) {
        if (retryable.stream().noneMatch(type -> type.isInstance(e))) {
            throw e;
        }
        LOG.error("Consumer loop {} failed on {}, retrying in {} ms: {}", name, what, backoff.toMillis(), e.toString());
        backOff();
    }

    /** Back to the first record of each partition of a failed batch, so it is read again, never skipped. */
    private static void rewind(Consumer<?, ?> consumer, ConsumerRecords<?, ?> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<?, ?> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<? extends ConsumerRecord<?, ?>> ofPartition = records.records(partition);
            next.put(partition, new OffsetAndMetadata(ofPartition.get(ofPartition.size() - 1).offset() + 1));
        }
        return next;
    }

    /**
     * A stop (or a {@link #wakeUp()}) that came while the handler ran left a wakeup pending, which the commit meets
     * first; the wakeup is spent by then, so the commit is made again: a batch handled before the stop is
     * committed, not read twice.
     *
     * @return false when the group rebalanced and refused the commit: the partitions may be another member's now
     */
    private boolean commit(Consumer<?, ?> consumer, AtomicBoolean wakeUp,
                           Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            try {
                consumer.commitSync(offsets);
            } catch (WakeupException e) {
                if (!stopping() && !wakeUp.getAndSet(false)) {
                    throw e;
                }
                consumer.commitSync(offsets);
            }
            return true;
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The group rebalanced: the records are handled, and whoever owns their partitions now reads them
            // again from the last commit (at least once).
            LOG.warn("Consumer loop {} could not commit {} ({}); its records may come again", name,
                    offsets.keySet(), e.getClass().getSimpleName());
            return false;
        } catch (RetriableException e) {
            // The broker away longer than the commit's timeout: the batch is handled, and the next commit's
            // offsets, later in the same partitions, cover it; until then a restart reads it again, as after any
            // crash (at least once). Stopping the loop here stopped the service for good.
            LOG.warn("Consumer loop {} could not commit {} ({}); the next commit covers it", name, offsets.keySet(),
                    e.toString());
            backOff();
            return true;
        }
    }

    /**
     * Waits the back-off, or less when {@link #stop()} comes first: for a handler or an {@code afterRound} that
     * retries on its own, on the loop's thread.
     */
    public void awaitBackoff() {
        backOff();
    }

    /** Waits the back-off, or less when {@link #stop()} comes first. */
    private void backOff() {
        try {
            stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        }
    }

    /** Asks the loop to end: wakes up every consumer; safe from any thread. */
    public void stop() {
        stopRequested.countDown();
        sources.forEach(source -> source.consumer().wakeup());
    }

    /**
     * Ends the poll under way (or the next one) early without stopping the loop, so that {@code afterRound} runs
     * now rather than when the poll timeout ran out; safe from any thread. For rare requests only: Kafka's wakeup
     * makes the consumer's next blocking call throw, whichever it is, and calls from several threads at once can
     * leave one pending after the poll met another, so that a call of {@code afterRound} meets it and the loop stops.
     * A caller with frequent requests (ingest's {@code LogFollower}) serves them in {@code afterRound} with a short
     * poll timeout instead.
     */
    public void wakeUp() {
        for (int index = 0; index < sources.size(); index++) {
            wakeUps.get(index).set(true);
            sources.get(index).consumer().wakeup();
        }
    }

    /** Stops the loop and waits for its thread (when it was started by {@link #start()}) to close its consumers. */
    public void close(Duration timeout) {
        stop();
        Thread started;
        synchronized (this) {
            started = thread;
        }
        if (started == null) {
            return;
        }
        try {
            started.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (started.isAlive()) {
            LOG.warn("Consumer loop {} did not end within {} ms", name, timeout.toMillis());
        }
    }

    /** Whether the loop still consumes (true before it runs, false once stopped or failed). */
    public boolean alive() {
        return alive;
    }

    /** What stopped the loop, if a failure did. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure.get());
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private void fail(RuntimeException e) {
        failure.compareAndSet(null, e);
    }

    private void closeConsumers() {
        if (closeTimeout == null) {
            return;
        }
        for (Source<?, ?> source : sources) {
            try {
                source.consumer().close(CloseOptions.timeout(closeTimeout));
            } catch (RuntimeException e) {
                LOG.warn("Consumer loop {} could not close a consumer cleanly: {}", name, e.toString());
            }
        }
    }

    /** Settings of a loop; a poll timeout and at least one source are required, the rest is said explicitly. */
    public static final class Builder {

        private final String name;
        private final List<Source<?, ?>> sources = new ArrayList<>();
        private final List<Class<? extends RuntimeException>> retryable = new ArrayList<>();
        private Duration pollTimeout;
        private Duration backoff = Duration.ofSeconds(1);
        private Runnable beforeFirstPoll = () -> { };
        private Runnable afterRound = () -> { };
        private Duration closeTimeout;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The longest wait of one round, shared among the sources. */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = requirePositive(pollTimeout, "pollTimeout");
            return this;
        }

        /** A consumer polled in each round, after the sources added before it. */
        public <K, V> Builder source(Consumer<K, V> consumer, BatchHandler<K, V> handler, Commit commit,
                                     Undecodable undecodable) {
            sources.add(new Source<>(consumer, handler, commit, undecodable));
            return this;
        }

        /**
         * Failures of these types (from a poll, a handler or {@code afterRound}) are retried after {@code backoff};
         * others stop.
         */
        @SafeVarargs
        public final Builder retryAfter(Duration backoff, Class<? extends RuntimeException>... retryable) {
            this.backoff = requirePositive(backoff, "backoff");
            this.retryable.addAll(List.of(retryable));
            return this;
        }

        /** The wait before an undecodable record is read again ({@link Undecodable#WAIT}); 1 s unless said. */
        public Builder backoff(Duration backoff) {
            this.backoff = requirePositive(backoff, "backoff");
            return this;
        }

        /** Runs on the loop's thread before its first poll: subscribe, or assign and seek. */
        public Builder beforeFirstPoll(Runnable beforeFirstPoll) {
            this.beforeFirstPoll = Objects.requireNonNull(beforeFirstPoll, "beforeFirstPoll");
            return this;
        }

        /** Runs on the loop's thread after every round, records or not. */
        public Builder afterRound(Runnable afterRound) {
            this.afterRound = Objects.requireNonNull(afterRound, "afterRound");
            return this;
        }

        /** The loop's thread closes its consumers when it ends, each within {@code timeout}. */
        public Builder closeConsumers(Duration timeout) {
            this.closeTimeout = requirePositive(timeout, "closeTimeout");
            return this;
        }

        public ConsumerLoop build() {
            if (pollTimeout == null) {
                throw new IllegalArgumentException("consumer loop " + name + " needs a poll timeout");
            }
            if (sources.isEmpty()) {
                throw new IllegalArgumentException("consumer loop " + name + " needs a source");
            }
            return new ConsumerLoop(this);
        }

        private static Duration requirePositive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return duration;
        }
    }
}
