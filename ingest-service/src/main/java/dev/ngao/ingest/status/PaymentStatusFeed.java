package dev.ngao.ingest.status;

import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;

/**
 * Keeps a {@link PaymentStatusView} up to date from Kafka: one reader of payment requests, one of risk
 * decisions. Two typed consumers are simpler than one consumer decoding two schemas by hand, and the
 * view merges updates in whatever order they arrive. Both read committed data only.
 */
public final class PaymentStatusFeed implements AutoCloseable {

    private final TopicFollower<?> requests;
    private final TopicFollower<?> decisions;

    private PaymentStatusFeed(TopicFollower<?> requests, TopicFollower<?> decisions) {
        this.requests = requests;
        this.decisions = decisions;
    }

    /** Starts reading both topics from the beginning; returns at once, the view fills in the background. */
    public static PaymentStatusFeed start(KafkaContext kafka, PaymentStatusView view, String clientId) {
        TopicFollower<?> requests = new TopicFollower<>(Topics.PAYMENT_REQUESTS,
                kafka.consumer(Topics.PAYMENT_REQUESTS, clientId + "-status-requests", null),
                view::recordRequest, clientId + "-status-requests");
        requests.start();
        try {
            TopicFollower<?> decisions = new TopicFollower<>(Topics.RISK_DECISIONS,
                    kafka.consumer(Topics.RISK_DECISIONS, clientId + "-status-decisions", null),
                    view::recordDecision, clientId + "-status-decisions");
            decisions.start();
            return new PaymentStatusFeed(requests, decisions);
        } catch (RuntimeException e) {
            requests.close();
            throw e;
        }
    }

    @Override
    public void close() {
        requests.close();
        decisions.close();
    }
}
