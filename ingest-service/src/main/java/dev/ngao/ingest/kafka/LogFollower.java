package dev.ngao.ingest.kafka;

import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.ConsumerLoop.Commit;
import dev.ngao.platform.kafka.ConsumerLoop.Undecodable;
import dev.ngao.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows every partition of one topic from the beginning, on its own thread, handing each record (with
 * its partition and offset) to a sink, and tells waiters when it has applied a given position: a writer
 * that appended a record at offset {@code o} of partition {@code p} waits for {@link #awaitApplied} to
 * know the sink has seen everything up to and including its own record, in log order ("read back up to
 * my own record"). {@link #awaitEnd} waits until everything written to a partition so far is applied.
 *
 * <p>No consumer group: partitions are assigned, nothing is committed, because what the sink builds lives
 * in memory and is rebuilt from offset zero at every start.
 *
 * <p>End offsets come from a reader of their own when one is given ({@link #LogFollower(Topic, Consumer, Consumer,
 * Sink, String)}), not from the consumer that polls: Kafka's broker handles one request per connection at a time, in
 * order, and a caught-up consumer's fetch waits at the broker for new records for up to its {@code fetch.max.wait.ms}
 * (500 ms by default); an {@code endOffsets} call on the same consumer queued behind that fetch, so an end request
 * on an idle topic waited for the fetch to expire (most of the half second each status-query result took, and up to
 * as much on a webhook). The reader is a consumer that never polls, with the same isolation level; it is used on the
 * follower's thread only, and the follower owns and closes it. A follower nobody asks for the end (or that may
 * wait) asks its polling consumer.
 *
 * <p>The poll loop is platform's {@link ConsumerLoop} (an unreadable record skipped, a failing poll retried after
 * a back-off). End requests are served at the end of every round, never by waking the consumer: a round lasts at
 * most {@value #POLL_TIMEOUT_MS} ms, and every request registered before an {@code endOffsets} call starts is
 * answered by that one call. Waking the consumer per request made its next blocking call throw, whichever it
 * was: with many callers an {@code endOffsets} call or a poll was interrupted before it finished, round after
 * round, and the view never reached the end (a livelock); and a wakeup that landed in {@code endOffsets} outside
 * a poll ended the loop, after which no end request was ever answered. Only {@link #close()} wakes the consumer.
 * A request made once the follower has stopped fails at once.
 */
public final class LogFollower<V> implements AutoCloseable {

    /** Receives records in log order per partition, on the follower's thread. */
    public interface Sink<V> {
        void apply(ConsumerRecord<String, V> record);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
    /** The longest round, so the longest an end request waits before its {@code endOffsets} call starts. */
    static final long POLL_TIMEOUT_MS = 50;
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long JOIN_TIMEOUT_MS = 10_000;
    /** Waiters beyond this many are refused: each is an HTTP request holding on. */
    private static final int MAXIMUM_WAITERS = 100_000;

    private final Topic<String, V> topic;
    private final Consumer<String, V> consumer;
    /** Asked for the end offsets: {@link #consumer} itself, or a consumer of its own that never polls. */
    private final Consumer<?, ?> endOffsetReader;
    private final Sink<V> sink;
    private final ConsumerLoop loop;
    private final Thread thread;
    private final Map<Integer, Long> appliedPositions = new HashMap<>();
    private final Map<Integer, PriorityQueue<Waiter>> waiters = new HashMap<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> endRequests = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private Map<TopicPartition, Long> startEndOffsets = Map.of();
    private int waiterCount;
    private volatile boolean running = true;
    /** Set once the loop has ended: waiters registered after that are failed at once, never left waiting. */
    private volatile boolean stopped;

    /** A follower that asks its polling consumer for the end offsets: for followers whose end requests may wait. */
    public LogFollower(Topic<String, V> topic, Consumer<String, V> consumer, Sink<V> sink, String threadName) {
        this(topic, consumer, consumer, sink, threadName);
    }

    /**
     * A follower that asks {@code endOffsetReader} for the end offsets, so that an end request does not queue behind
     * the polling consumer's waiting fetch (see the class comment).
     *
     * @param endOffsetReader a consumer that never polls, of {@code consumer}'s isolation level; owned (closed) here
     */
    public LogFollower(Topic<String, V> topic, Consumer<String, V> consumer, Consumer<?, ?> endOffsetReader,
                       Sink<V> sink, String threadName) {
        this.topic = topic;
        this.consumer = consumer;
        this.endOffsetReader = endOffsetReader;
        this.sink = sink;
        this.loop = ConsumerLoop.builder(threadName)
                .pollTimeout(Duration.ofMillis(POLL_TIMEOUT_MS))
                .beforeFirstPoll(this::assignAllPartitions)
                .source(consumer, ConsumerLoop.eachRecord(this::apply), Commit.NONE, Undecodable.SKIP)
                .afterRound(() -> {
                    publishPositions();
                    serveEndRequests();
                })
                .retryAfter(RETRY_BACKOFF, RuntimeException.class)
                .closeConsumers(CLOSE_TIMEOUT)
                .build();
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * A follower that hands each value to {@code callback}, skipping tombstones: for views that only need
     * the values, in log order per partition.
     */
    public static <V> LogFollower<V> ofValues(Topic<String, V> topic, Consumer<String, V> consumer,
                                              java.util.function.Consumer<V> callback, String threadName) {
        return ofValues(topic, consumer, consumer, callback, threadName);
    }

    /**
     * As {@link #ofValues(Topic, Consumer, java.util.function.Consumer, String)}, with an end offset reader of its own.
     */
    public static <V> LogFollower<V> ofValues(Topic<String, V> topic, Consumer<String, V> consumer,
                                              Consumer<?, ?> endOffsetReader, java.util.function.Consumer<V> callback,
                                              String threadName) {
        return new LogFollower<>(topic, consumer, endOffsetReader, record -> {
            if (record.value() != null) {
                callback.accept(record.value());
            }
        }, threadName);
    }

    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** Completes once the records present at start have all been applied. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /**
     * Whether {@code record} was already in the log when this follower started (it is read while catching
     * up) rather than written since. Call from the sink, on the follower's thread.
     */
    public boolean presentAtStart(ConsumerRecord<String, V> record) {
        Long end = startEndOffsets.get(new TopicPartition(record.topic(), record.partition()));
        return end != null && record.offset() < end;
    }

    /** Completes once the record at {@code offset} of {@code partition} (and all before it) has been applied. */
    public CompletableFuture<Void> awaitApplied(int partition, long offset) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        synchronized (waiters) {
            if (appliedPositions.getOrDefault(partition, 0L) > offset) {
                applied.complete(null);
            } else if (stopped) {
                applied.completeExceptionally(stoppedFailure());
            } else if (waiterCount >= MAXIMUM_WAITERS) {
                applied.completeExceptionally(new IllegalStateException("too many readers waiting on " + topic.name()));
            } else {
                waiters.computeIfAbsent(partition, ignored -> new PriorityQueue<>()).add(new Waiter(offset, applied));
                waiterCount++;
            }
        }
        return applied;
    }

    /**
     * Completes once everything written to the topic before this call has been applied: a reader that must
     * judge a new record against all earlier ones waits for this first. Served at the end of the round under way
     * (at most {@value #POLL_TIMEOUT_MS} ms away), together with every other request made by then.
     */
    public CompletableFuture<Void> awaitEnd() {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        endRequests.add(reached);
        if (stopped) {
            // The loop may have failed the pending requests before this one was added.
            failEndRequests(stoppedFailure());
        }
        return reached;
    }

    private void run() {
        try {
            loop.run();
        } catch (RuntimeException e) {
            LOG.error("Follower of {} stopped by a failure", topic.name(), e);
        } finally {
            stopped = true;
            failPending(stoppedFailure());
            closeEndOffsetReader();
        }
    }

    /** The polling consumer is closed by the loop; a reader of its own is closed here, on the same thread. */
    private void closeEndOffsetReader() {
        if (endOffsetReader == consumer) {
            return;
        }
        try {
            endOffsetReader.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.warn("Cannot close the end offset reader of {} cleanly: {}", topic.name(), e.toString());
        }
    }

    /** Before the first poll: retried until every partition is assigned, or the follower closes. */
    private void assignAllPartitions() {
        while (running && !tryAssignAllPartitions()) {
            loop.awaitBackoff();
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
            if (endOffsetReader != consumer) {
                // Never polled, so it fetches nothing; assigned because a read-committed consumer asked for the
                // end offsets of partitions it is not assigned logs a warning per partition and call ("Not
                // updating last stable offset ... as it is no longer assigned"): some 90 lines a second at
                // 50 payments a second in the embedded run.
                endOffsetReader.assign(partitions);
            }
            // Asked of the reader that serves end requests, which so knows the topic before the first request.
            startEndOffsets = endOffsetReader.endOffsets(partitions, METADATA_TIMEOUT);
            LOG.info("Following {} partitions of {} from the beginning", partitions.size(), topic.name());
            return true;
        } catch (WakeupException e) {
            // Only close() wakes the consumer: the loop condition ends it.
            return false;
        } catch (RuntimeException e) {
            LOG.error("Cannot assign the partitions of {}; retrying in {} ms", topic.name(), RETRY_BACKOFF.toMillis(),
                    e);
            return false;
        }
    }

    /**
     * Answers every end request made so far with one {@code endOffsets} call: each completes once the positions
     * it returned are applied. A request made while the call runs waits for the next round.
     */
    private void serveEndRequests() {
        if (endRequests.isEmpty() || consumer.assignment().isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (CompletableFuture<Void> request = endRequests.poll(); request != null; request = endRequests.poll()) {
            requests.add(request);
        }
        Map<TopicPartition, Long> ends;
        try {
            ends = endOffsetReader.endOffsets(consumer.assignment(), METADATA_TIMEOUT);
        } catch (WakeupException e) {
            // close() woke the consumer: the requests are failed on the way out.
            endRequests.addAll(requests);
            throw e;
        } catch (RuntimeException e) {
            requests.forEach(request -> request.completeExceptionally(e));
            return;
        }
        List<CompletableFuture<Void>> reached = new ArrayList<>();
        ends.forEach((partition, end) -> {
            if (end > 0) {
                reached.add(awaitApplied(partition.partition(), end - 1));
            }
        });
        CompletableFuture.allOf(reached.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            for (CompletableFuture<Void> request : requests) {
                if (error == null) {
                    request.complete(null);
                } else {
                    request.completeExceptionally(error);
                }
            }
        });
    }

    private void apply(ConsumerRecord<String, V> record) {
        try {
            sink.apply(record);
        } catch (RuntimeException e) {
            LOG.error("Cannot apply record of {}-{} at offset {}", record.topic(), record.partition(), record.offset(), e);
        }
    }

    /** Positions after the last poll: every waiter at an offset below its partition's position is served. */
    private void publishPositions() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            for (TopicPartition partition : consumer.assignment()) {
                long position = consumer.position(partition);
                appliedPositions.put(partition.partition(), position);
                PriorityQueue<Waiter> queue = waiters.get(partition.partition());
                while (queue != null && !queue.isEmpty() && queue.peek().offset() < position) {
                    ready.add(queue.poll().applied());
                    waiterCount--;
                }
            }
        }
        ready.forEach(future -> future.complete(null));
        if (!caughtUp.isDone() && !startEndOffsets.isEmpty() && startEndOffsets.entrySet().stream()
                .allMatch(end -> appliedPositions.getOrDefault(end.getKey().partition(), 0L) >= end.getValue())) {
            LOG.info("Caught up with {}", topic.name());
            caughtUp.complete(null);
        }
    }

    private void failPending(RuntimeException cause) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (waiters) {
            waiters.values().forEach(queue -> queue.forEach(waiter -> pending.add(waiter.applied())));
            waiters.clear();
            waiterCount = 0;
        }
        pending.add(caughtUp);
        pending.forEach(future -> future.completeExceptionally(cause));
        failEndRequests(cause);
    }

    private void failEndRequests(RuntimeException cause) {
        for (CompletableFuture<Void> request = endRequests.poll(); request != null; request = endRequests.poll()) {
            request.completeExceptionally(cause);
        }
    }

    private IllegalStateException stoppedFailure() {
        return new IllegalStateException("follower of " + topic.name() + " stopped");
    }

    /**
     * Stops the loop (the only wakeup of the consumer, and of the end offset reader, whose call under way then ends)
     * and waits for its thread to close them.
     */
    @Override
    public void close() {
        running = false;
        loop.stop();
        if (endOffsetReader != consumer) {
            endOffsetReader.wakeup();
        }
        try {
            if (started.get()) {
                thread.join(JOIN_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Waiter(long offset, CompletableFuture<Void> applied) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter other) {
            return Long.compare(offset, other.offset);
        }
    }
}
