package dev.ngao.ingest.kafka;

import dev.ngao.platform.kafka.TopicAdmin;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.topics.CleanupPolicy;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Writer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follower on a real KRaft broker: many readers asking for the end at once, at a rate of their own, while the
 * topic grows; and a follower started again on a topic that already holds records, asked for the end from its first
 * moment. A follower that woke its consumer for every request failed both: its {@code endOffsets} calls and polls
 * were cut short over and over, and requests were answered only once they stopped coming (seconds late). And a
 * follower caught up with an idle topic, asked for the end while the broker holds its consumer's fetch: its end offset
 * reader answers without waiting for that fetch, which the same consumer's {@code endOffsets} call queued behind.
 */
@ExtendWith(KafkaClusterExtension.class)
class LogFollowerIT {

    private static final int PARTITIONS = 3;
    private static final int CALLERS = 32;
    private static final long ASK_INTERVAL_MS = 5;
    private static final Duration ASKING = Duration.ofSeconds(8);
    /** Per request: tens of ms when served; seconds allow for a loaded two-core machine. */
    private static final Duration CALL_BOUND = Duration.ofSeconds(5);
    /** How long the broker may hold a caught-up follower's fetch: well past {@link #CALL_BOUND}, within 30 s. */
    private static final int PARKED_FETCH_MS = 20_000;

    private static String bootstrapServers;

    private Topic<String, String> topic;
    private KafkaProducer<String, String> producer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final List<LogFollower<String>> followers = new ArrayList<>();

    @BeforeAll
    static void cluster(KafkaTestCluster cluster) {
        bootstrapServers = cluster.bootstrapServers();
    }

    @BeforeEach
    void createTopic(TestInfo test) throws Exception {
        // One topic per test, named after it: the cluster is shared by the class.
        topic = new Topic<>("test.followed." + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT), String.class, String.class, PARTITIONS,
                CleanupPolicy.DELETE, Duration.ofDays(1), Writer.INGEST_SERVICE, "a topic the follower reads");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic.name(), PARTITIONS, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
            TopicAdmin.awaitLeaders(admin, List.of(topic.name()));
        }
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void close() {
        followers.forEach(LogFollower::close);
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void shouldAnswerManyConcurrentEndRequestsWhileRecordsAreWritten() throws Exception {
        // Given a follower caught up with a topic a producer keeps writing to
        AtomicLong applied = new AtomicLong();
        LogFollower<String> follower = follow(applied);
        follower.caughtUp().get(30, TimeUnit.SECONDS);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> written = writer.submit(() -> writeUntil(writing));

            // When 32 readers keep asking for the end, each every few ms without waiting for its last answer
            EndRequests requests = askForTheEnd(follower, applied);
            writing.set(false);
            written.get(30, TimeUnit.SECONDS);

            // Then every request was answered within its bound, having seen every record acknowledged before it
            System.out.printf("LogFollowerIT: %s, %d records written meanwhile%n", requests, acknowledged.get());
            requests.assertAllAnsweredInTime();
            assertThat(acknowledged.get()).as("records written while the readers waited").isPositive();
        } finally {
            writing.set(false);
            writer.shutdownNow();
        }
    }

    @Test
    void shouldAnswerEndRequestsWhenStartedAgainOnATopicWithRecords() throws Exception {
        // Given a topic with records, read by a follower that was then closed, and more records written since
        write(2_000);
        AtomicLong appliedBefore = new AtomicLong();
        LogFollower<String> first = follow(appliedBefore);
        first.awaitEnd().get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(appliedBefore).hasValue(2_000);
        first.close();
        write(2_000);

        // When a new follower starts on it and readers keep asking for the end from its first moment
        AtomicLong applied = new AtomicLong();
        LogFollower<String> second = follow(applied);
        EndRequests requests = askForTheEnd(second, applied);

        // Then every request was answered within its bound, having seen all 4,000 records
        System.out.printf("LogFollowerIT after a restart: %s%n", requests);
        requests.assertAllAnsweredInTime();
        assertThat(applied).hasValue(4_000);
        assertThat(second.caughtUp()).isCompleted();

        // And a record written now is seen by the next end request
        write(1);
        second.awaitEnd().get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(applied).hasValue(4_001);
    }

    @Test
    void shouldAnswerAnEndRequestWithoutWaitingForTheFetchParkedAtTheBroker() throws Exception {
        // Given a follower caught up with an idle topic, whose consumer's fetch the broker holds for up to 20 s
        // (fetch.max.wait.ms) waiting for new records, and which asks a reader of its own for the end offsets
        write(10);
        AtomicLong applied = new AtomicLong();
        KafkaConsumer<String, String> polled =
                consumer(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, PARKED_FETCH_MS));
        LogFollower<String> follower = LogFollower.ofValues(topic, polled, consumer(Map.of()),
                value -> applied.incrementAndGet(), "test-follower");
        followers.add(follower);
        follower.start();
        follower.caughtUp().get(30, TimeUnit.SECONDS);
        double fetchesBefore = fetches(polled);

        // When a reader asks for the end
        follower.awaitEnd().get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);

        // Then it was answered while the parked fetch was still waiting: no fetch of the follower ended meanwhile
        // (asked of the polling consumer, the end offsets came only after its fetch, up to 20 s later)
        assertThat(fetches(polled)).as("fetches of the follower's consumer that ended").isEqualTo(fetchesBefore);
        assertThat(applied).hasValue(10);
    }

    /** How many fetches of {@code consumer} have ended (answered by the broker). */
    private static double fetches(KafkaConsumer<?, ?> consumer) {
        return consumer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals("fetch-total")
                        && metric.getKey().group().equals("consumer-fetch-manager-metrics"))
                .mapToDouble(metric -> (Double) metric.getValue().metricValue())
                .findFirst().orElseThrow();
    }

    /**
     * {@value #CALLERS} threads each ask for the end every {@value #ASK_INTERVAL_MS} ms for {@link #ASKING}, the
     * way HTTP requests and intake workers arrive whether or not earlier ones were answered; then waits (within
     * {@link #CALL_BOUND}) for the answers still due.
     */
    private EndRequests askForTheEnd(LogFollower<String> follower, AtomicLong applied) throws Exception {
        EndRequests requests = new EndRequests();
        ExecutorService threads = Executors.newFixedThreadPool(CALLERS);
        try {
            long untilNs = System.nanoTime() + ASKING.toNanos();
            List<Future<?>> callers = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                callers.add(threads.submit(() -> {
                    while (System.nanoTime() < untilNs) {
                        requests.ask(follower, applied, acknowledged.get());
                        sleep(ASK_INTERVAL_MS);
                    }
                }));
            }
            for (Future<?> caller : callers) {
                caller.get(ASKING.toSeconds() + 30, TimeUnit.SECONDS);
            }
            requests.awaitAnswers();
            return requests;
        } finally {
            threads.shutdownNow();
        }
    }

    /** The end requests of a test: how many, how long the slowest took, which came late or saw too little. */
    private static final class EndRequests {
        private final List<CompletableFuture<Long>> answers = new CopyOnWriteArrayList<>();
        private final AtomicLong missed = new AtomicLong();

        void ask(LogFollower<String> follower, AtomicLong applied, long writtenBefore) {
            long askedNs = System.nanoTime();
            answers.add(follower.awaitEnd().thenApply(ignored -> {
                if (applied.get() < writtenBefore) {
                    missed.incrementAndGet();
                }
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - askedNs);
            }));
        }

        void awaitAnswers() throws InterruptedException {
            try {
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                        .get(CALL_BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // counted as unanswered below
            }
        }

        long unanswered() {
            return answers.stream().filter(answer -> !answer.isDone() || answer.isCompletedExceptionally()).count();
        }

        long late() {
            return answers.stream().filter(answer -> answer.isDone() && !answer.isCompletedExceptionally()
                    && answer.join() > CALL_BOUND.toMillis()).count();
        }

        long slowestMs() {
            return answers.stream().filter(answer -> answer.isDone() && !answer.isCompletedExceptionally())
                    .mapToLong(CompletableFuture::join).max().orElse(0);
        }

        void assertAllAnsweredInTime() {
            assertThat(answers).isNotEmpty();
            assertThat(unanswered()).as("end requests not answered (%s)", this).isZero();
            assertThat(late()).as("end requests answered after %s (%s)", CALL_BOUND, this).isZero();
            assertThat(missed).as("end requests answered before a record acknowledged earlier was applied")
                    .hasValue(0);
        }

        @Override
        public String toString() {
            return answers.size() + " end requests, " + unanswered() + " unanswered, " + late() + " late, slowest "
                    + slowestMs() + " ms";
        }
    }

    private LogFollower<String> follow(AtomicLong applied) {
        LogFollower<String> follower = LogFollower.ofValues(topic, consumer(Map.of()),
                value -> applied.incrementAndGet(), "test-follower");
        followers.add(follower);
        follower.start();
        return follower;
    }

    /** A read_committed consumer of the test's cluster, with {@code overrides} on top. */
    private static KafkaConsumer<String, String> consumer(Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "follower-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        config.putAll(overrides);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private void writeUntil(AtomicBoolean writing) {
        for (long n = 0; writing.get(); n++) {
            producer.send(new ProducerRecord<>(topic.name(), "key-" + n, "value-" + n), (metadata, error) -> {
                if (error == null) {
                    acknowledged.incrementAndGet();
                }
            });
            sleep(1);
        }
        producer.flush();
    }

    private void write(int count) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            sent.add(producer.send(new ProducerRecord<>(topic.name(), "key-" + n, "value-" + n)));
        }
        for (Future<?> send : sent) {
            send.get(30, TimeUnit.SECONDS);
        }
        acknowledged.addAndGet(count);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
