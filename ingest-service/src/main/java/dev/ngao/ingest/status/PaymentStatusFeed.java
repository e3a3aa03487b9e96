package dev.ngao.ingest.status;

import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps a {@link PaymentStatusView} up to date from Kafka: one reader each of payment requests, risk
 * decisions, card authorization answers and review resolutions. Typed consumers are simpler than one
 * consumer decoding several schemas by hand, and the view merges updates in whatever order they arrive. All
 * read committed data only.
 */
public final class PaymentStatusFeed implements AutoCloseable {

    /** Longest the reader of payment requests lets the broker gather records before answering a fetch. */
    static final Duration REQUESTS_FETCH_WAIT = Duration.ofMillis(100);

    private final List<LogFollower<?>> followers;

    private PaymentStatusFeed(List<LogFollower<?>> followers) {
        this.followers = followers;
    }

    /** Completes once the payment requests present at start are in the view. */
    public CompletableFuture<Void> requestsCaughtUp() {
        return followers.get(0).caughtUp();
    }

    /** Completes once every payment request written before this call has been read (and told to its reader). */
    public CompletableFuture<Void> requestsAtEnd() {
        return followers.get(0).awaitEnd();
    }

    /** The topics the view is built from. */
    public static List<Topic<?, ?>> topics() {
        return List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS, Topics.CARD_AUTHORIZATIONS, Topics.RISK_REVIEWS);
    }

    /** Starts reading every topic from the beginning; returns at once, the view fills in the background. */
    public static PaymentStatusFeed start(KafkaContext kafka, PaymentStatusView view, String clientId) {
        return start(kafka, view, transactionId -> { }, clientId);
    }

    /**
     * As {@link #start(KafkaContext, PaymentStatusView, String)}, also telling {@code requestRead} the
     * transaction id of every payment request read, after the view has it.
     */
    public static PaymentStatusFeed start(KafkaContext kafka, PaymentStatusView view, Consumer<String> requestRead,
                                          String clientId) {
        List<LogFollower<?>> started = new ArrayList<>();
        try {
            // Webhooks of transactions not known yet ask for the end of the requests: a reader of its own for it.
            LogFollower<PaymentRequest> requests = LogFollower.ofValues(Topics.PAYMENT_REQUESTS,
                    batchingConsumer(kafka, Topics.PAYMENT_REQUESTS, clientId + "-status-requests"),
                    kafka.consumer(Topics.PAYMENT_REQUESTS, clientId + "-status-requests-end-offsets", null),
                    request -> {
                        view.recordRequest(request);
                        requestRead.accept(request.getTransactionId());
                    }, clientId + "-status-requests");
            requests.start();
            started.add(requests);
            started.add(follow(kafka, Topics.RISK_DECISIONS, view::recordDecision, clientId + "-status-decisions"));
            started.add(follow(kafka, Topics.CARD_AUTHORIZATIONS, view::recordAnswer, clientId + "-status-answers"));
            started.add(follow(kafka, Topics.RISK_REVIEWS, view::recordResolution, clientId + "-status-reviews"));
            return new PaymentStatusFeed(List.copyOf(started));
        } catch (RuntimeException e) {
            started.forEach(LogFollower::close);
            throw e;
        }
    }

    private static <V> LogFollower<V> follow(KafkaContext kafka, Topic<String, V> topic, Consumer<V> callback,
                                             String clientId) {
        return follow(kafka.consumer(topic, clientId, null), topic, callback, clientId);
    }

    private static <V> LogFollower<V> follow(org.apache.kafka.clients.consumer.Consumer<String, V> consumer,
                                             Topic<String, V> topic, Consumer<V> callback, String clientId) {
        LogFollower<V> follower = LogFollower.ofValues(topic, consumer, callback, clientId);
        follower.start();
        return follower;
    }

    /**
     * A reader of requests that fetches in batches (up to {@link #REQUESTS_FETCH_WAIT} or 64 KiB), instead
     * of one fetch per request written: the requests of this instance are recorded by their handlers, so
     * the view only needs the other instances' within a fraction of a second, and one fetch per payment
     * was one of the five or so requests each payment cost the broker.
     */
    private static <V> KafkaConsumer<String, V> batchingConsumer(KafkaContext kafka, Topic<String, V> topic,
                                                                 String clientId) {
        Map<String, Object> config = KafkaClients.consumer(kafka.settings(), clientId, null);
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) REQUESTS_FETCH_WAIT.toMillis());
        TopicSerdes<String, V> serdes = kafka.serdes(topic);
        return new KafkaConsumer<>(config, serdes.keySerde().deserializer(), serdes.valueSerde().deserializer());
    }

    @Override
    public void close() {
        followers.forEach(LogFollower::close);
    }
}
