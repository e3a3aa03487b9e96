package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalKind;
import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.ApprovalStatus;
import dev.ngao.events.AuditRecord;
import dev.ngao.platform.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The desk's rules without HTTP: who may decide, which decision wins, when a delivery is made again. */
class ApprovalDeskTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2031-01-10T08:00:00Z"));
    private final ApprovalView view = new ApprovalView(100);
    private final InMemoryApprovalLog log = new InMemoryApprovalLog(view);
    private final List<AuditRecord> audit = new ArrayList<>();
    private final AtomicInteger deliveries = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private ApprovalDesk desk;

    @BeforeEach
    void wire() {
        desk = new ApprovalDesk(log, view, clock, Duration.ofHours(1), 2, audit::add);
        desk.deliverWith(ApprovalKind.CARD_BATCH, approved -> {
            deliveries.incrementAndGet();
            return failuresLeft.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(new IllegalStateException("Kafka did not acknowledge (test)"))
                    : CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void shouldDeliverAgainOnTheNextApprovalWhenTheFirstDeliveryFailed() {
        // Given a pending batch whose first delivery fails
        String approvalId = pending("apv_batch_1");
        failuresLeft.set(1);

        // When a checker approves, then approves again
        assertThat(desk.decide(approvalId, "checker", ApprovalStatus.APPROVED, null))
                .failsWithin(Duration.ofSeconds(5));
        ApprovalDesk.Decision retried = desk.decide(approvalId, "checker", ApprovalStatus.APPROVED, null).join();

        // Then the decision stands, the retry delivered it and marked it, and one approval is audited
        assertThat(retried).isInstanceOf(ApprovalDesk.Decision.Decided.class);
        assertThat(deliveries).hasValue(2);
        assertThat(view.find(approvalId).orElseThrow().getDeliveredAt()).isNotNull();
        assertThat(audit).extracting(AuditRecord::getAction).containsExactly("approval.requested", "approval.approved");

        // And a further approval delivers nothing
        desk.decide(approvalId, "other-checker", ApprovalStatus.APPROVED, null).join();
        assertThat(deliveries).hasValue(2);
    }

    @Test
    void shouldNotDeliverAgainWhenAnotherWriterDecidedMomentsAgoAndHasNotMarkedItYet() {
        // Given a batch approved by another instance, its delivery not marked yet
        String approvalId = pending("apv_batch_2");
        ApprovalRequest approvedElsewhere = ApprovalRequest.newBuilder(view.find(approvalId).orElseThrow())
                .setStatus(ApprovalStatus.APPROVED).setDecisionId("elsewhere").setDecidedBy("checker-2")
                .setDecidedAt(clock.instant()).build();
        log.append(approvedElsewhere).join();

        // When a checker here approves it too, within the grace and after it
        ApprovalDesk.Decision now = desk.decide(approvalId, "checker", ApprovalStatus.APPROVED, null).join();
        clock.advance(ApprovalDesk.REDELIVERY_GRACE.plusSeconds(1));
        ApprovalDesk.Decision later = desk.decide(approvalId, "checker", ApprovalStatus.APPROVED, null).join();

        // Then the first is answered as decided without delivering; the one past the grace delivers, once
        assertThat(now).isEqualTo(new ApprovalDesk.Decision.Decided(approvedElsewhere, true));
        assertThat(later).isInstanceOf(ApprovalDesk.Decision.Decided.class);
        assertThat(deliveries).hasValue(1);
        assertThat(view.find(approvalId).orElseThrow().getDecidedBy()).isEqualTo("checker-2");
    }

    @Test
    void shouldKeepTheFirstDecisionInLogOrderWhenALaterOneIsWritten() {
        String approvalId = pending("apv_batch_3");
        ApprovalRequest base = view.find(approvalId).orElseThrow();
        view.apply(ApprovalRequest.newBuilder(base).setStatus(ApprovalStatus.REJECTED).setDecisionId("first")
                .setDecidedBy("checker-1").setDecidedAt(clock.instant()).setReason("No").build());
        view.apply(ApprovalRequest.newBuilder(base).setStatus(ApprovalStatus.APPROVED).setDecisionId("second")
                .setDecidedBy("checker-2").setDecidedAt(clock.instant()).build());
        view.apply(base);

        assertThat(view.find(approvalId).orElseThrow().getStatus()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(view.find(approvalId).orElseThrow().getDecisionId()).isEqualTo("first");
    }

    @Test
    void shouldRefuseTheThirdPendingRequestOfAMerchantAndTakeOthersMerchants() {
        pending("apv_batch_4");
        pending("apv_batch_5");

        ApprovalDesk.Submission third = desk.submit(request("apv_batch_6", "merchant-a")).join();
        ApprovalDesk.Submission others = desk.submit(request("apv_batch_7", "merchant-b")).join();

        assertThat(third).isEqualTo(new ApprovalDesk.Submission.Full(2));
        assertThat(others).isInstanceOf(ApprovalDesk.Submission.Created.class);
    }

    @Test
    void shouldRefuseAVerdictThatIsNotADecision() {
        assertThatThrownBy(() -> desk.decide("apv_batch_8", "checker", ApprovalStatus.PENDING, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String pending(String approvalId) {
        ApprovalDesk.Submission submission = desk.submit(request(approvalId, "merchant-a")).join();
        assertThat(submission).isInstanceOf(ApprovalDesk.Submission.Created.class);
        return approvalId;
    }

    private ApprovalRequest request(String approvalId, String merchantId) {
        return desk.newRequest(approvalId, ApprovalKind.CARD_BATCH, merchantId, "maker").build();
    }
}
