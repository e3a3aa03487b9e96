package dev.ngao.ingest.status;

import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps a {@link PaymentStatusView} up to date from Kafka: one reader each of payment requests, risk
 * decisions, card authorization answers and review resolutions. Typed consumers are simpler than one
 * consumer decoding several schemas by hand, and the view merges updates in whatever order they arrive. All
 * read committed data only.
 */
public final class PaymentStatusFeed implements AutoCloseable {

    private final List<LogFollower<?>> followers;

    private PaymentStatusFeed(List<LogFollower<?>> followers) {
        this.followers = followers;
    }

    /** Completes once the payment requests present at start are in the view. */
    public CompletableFuture<Void> requestsCaughtUp() {
        return followers.get(0).caughtUp();
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
            started.add(follow(kafka, Topics.PAYMENT_REQUESTS, request -> {
                view.recordRequest(request);
                requestRead.accept(request.getTransactionId());
            }, clientId + "-status-requests"));
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
        LogFollower<V> follower = LogFollower.ofValues(topic, kafka.consumer(topic, clientId, null), callback, clientId);
        follower.start();
        return follower;
    }

    @Override
    public void close() {
        followers.forEach(LogFollower::close);
    }
}
