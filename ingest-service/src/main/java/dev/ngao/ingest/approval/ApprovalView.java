package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.ApprovalStatus;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The approvals as {@code ingest.approvals} holds them, folded in log order. The first record of an approval
 * is its request; a later request record of the same id (a retried payout) changes nothing. The first
 * decision (APPROVED, REJECTED, EXPIRED) of a pending approval is final: a later decision of another writer
 * (a concurrent approval on another instance) is ignored, and only a record of the same decision (its
 * delivery mark) is applied after it. Bounded: beyond {@code maxEntries} the decided approvals decided longest
 * ago are forgotten first; pending ones are bounded per merchant by {@link ApprovalDesk}. Written by the
 * follower's thread, read by handlers.
 */
public final class ApprovalView {

    private final Map<String, ApprovalRequest> approvals = new ConcurrentHashMap<>();
    private final int maxEntries;

    public ApprovalView(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    public synchronized void apply(ApprovalRequest record) {
        ApprovalRequest current = approvals.get(record.getApprovalId());
        if (current == null) {
            approvals.put(record.getApprovalId(), record);
            evictBeyondBound();
        } else if (current.getStatus() == ApprovalStatus.PENDING) {
            if (record.getStatus() != ApprovalStatus.PENDING) {
                approvals.put(record.getApprovalId(), record);
            }
        } else if (Objects.equals(current.getDecisionId(), record.getDecisionId())) {
            approvals.put(record.getApprovalId(), record);
        }
    }

    /** A tombstone: compaction's way of forgetting an approval. */
    public void remove(String approvalId) {
        approvals.remove(approvalId);
    }

    public Optional<ApprovalRequest> find(String approvalId) {
        return Optional.ofNullable(approvals.get(approvalId));
    }

    /** The status a reader sees at {@code now}: a pending approval past its expiry is EXPIRED, written or not. */
    public static ApprovalStatus statusAt(ApprovalRequest approval, Instant now) {
        if (approval.getStatus() == ApprovalStatus.PENDING && !now.isBefore(approval.getExpiresAt())) {
            return ApprovalStatus.EXPIRED;
        }
        return approval.getStatus();
    }

    /** Approvals still pending at {@code now} (not yet expired) of {@code merchantId}. */
    public long pendingCount(String merchantId, Instant now) {
        return approvals.values().stream()
                .filter(approval -> approval.getMerchantId().equals(merchantId))
                .filter(approval -> statusAt(approval, now) == ApprovalStatus.PENDING)
                .count();
    }

    /**
     * Up to {@code limit} approvals, newest request first: of {@code merchantId} (every merchant's when null),
     * with the status {@code status} at {@code now} (any when null).
     */
    public List<ApprovalRequest> list(String merchantId, ApprovalStatus status, Instant now, int limit) {
        return approvals.values().stream()
                .filter(approval -> merchantId == null || approval.getMerchantId().equals(merchantId))
                .filter(approval -> status == null || statusAt(approval, now) == status)
                .sorted(Comparator.comparing(ApprovalRequest::getRequestedAt).reversed()
                        .thenComparing(ApprovalRequest::getApprovalId))
                .limit(limit)
                .toList();
    }

    /** Pending approvals whose expiry has passed at {@code now} but that no EXPIRED record closed yet. */
    public List<ApprovalRequest> overdue(Instant now, int limit) {
        return approvals.values().stream()
                .filter(approval -> approval.getStatus() == ApprovalStatus.PENDING)
                .filter(approval -> !now.isBefore(approval.getExpiresAt()))
                .limit(limit)
                .toList();
    }

    public int size() {
        return approvals.size();
    }

    private void evictBeyondBound() {
        while (approvals.size() > maxEntries) {
            Optional<ApprovalRequest> oldest = approvals.values().stream()
                    .filter(approval -> approval.getStatus() != ApprovalStatus.PENDING)
                    .min(Comparator.comparing(ApprovalRequest::getDecidedAt));
            if (oldest.isEmpty()) {
                return; // all pending: bounded per merchant where they are made
            }
            approvals.remove(oldest.get().getApprovalId());
        }
    }
}
