package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalRequest;

import java.util.concurrent.CompletableFuture;

/**
 * Where approvals are written: {@code ingest.approvals} in a running ingest ({@link KafkaApprovalLog}).
 * {@link #append} completes once the record is acknowledged and the {@link ApprovalView} has applied it with
 * every record before it, so the writer reads what log order made of its write.
 */
public interface ApprovalLog {

    CompletableFuture<Void> append(ApprovalRequest record);
}
