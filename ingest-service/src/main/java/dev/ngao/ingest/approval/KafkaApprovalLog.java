package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalRequest;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.LogFollower;

import java.util.concurrent.CompletableFuture;

/**
 * {@code ingest.approvals} as the approval log: a record is written with the process's producer (acks=all,
 * idempotent), then read back by the follower that feeds the view, up to its own offset.
 */
public final class KafkaApprovalLog implements ApprovalLog {

    private final AcknowledgedPublisher<String, ApprovalRequest> publisher;
    private final LogFollower<ApprovalRequest> follower;

    public KafkaApprovalLog(AcknowledgedPublisher<String, ApprovalRequest> publisher,
                            LogFollower<ApprovalRequest> follower) {
        this.publisher = publisher;
        this.follower = follower;
    }

    @Override
    public CompletableFuture<Void> append(ApprovalRequest record) {
        return publisher.publish(record.getApprovalId(), record).acknowledged().toCompletionStage()
                .toCompletableFuture()
                .thenCompose(position -> follower.awaitApplied(position.partition(), position.offset()));
    }
}
