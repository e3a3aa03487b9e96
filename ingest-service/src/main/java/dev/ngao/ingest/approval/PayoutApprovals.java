package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalKind;
import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.ApprovalStatus;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.ingest.payment.PaymentRelay;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.ingest.payment.PayoutGate;
import dev.ngao.ingest.payment.SealedPaymentRequests;
import dev.ngao.ingest.status.PaymentStatusView;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Payouts above their merchant's threshold ({@link PayoutThresholds}) wait on the {@link ApprovalDesk}: the
 * payout's event is sealed into its approval (it holds the MSISDN) and, once another key approved it, published
 * to {@code payments.requests} exactly as it was accepted, through the relay of every accepted payment.
 */
public final class PayoutApprovals implements PayoutGate {

    /** A payout approval's id: this, then the payout's transaction id. */
    public static final String APPROVAL_ID_PREFIX = "apv_";

    private final ApprovalDesk desk;
    private final PayoutThresholds thresholds;
    private final SealedPaymentRequests sealer;
    private final PaymentRelay relay;
    private final PaymentStatusView statusView;

    public PayoutApprovals(ApprovalDesk desk, PayoutThresholds thresholds, SealedPaymentRequests sealer,
                           PaymentRelay relay, PaymentStatusView statusView) {
        this.desk = desk;
        this.thresholds = thresholds;
        this.sealer = sealer;
        this.relay = relay;
        this.statusView = statusView;
        desk.deliverWith(ApprovalKind.PAYOUT, this::publish);
    }

    @Override
    public boolean holds(PaymentRequest event) {
        return event.getType() == PaymentType.MOBILE_MONEY_PAYOUT && thresholds.holds(event.getMerchantId(),
                event.getAmount().getCurrency(), event.getAmount().getAmountMinor());
    }

    @Override
    public boolean full(String merchantId) {
        return desk.full(merchantId);
    }

    @Override
    public CompletableFuture<String> hold(PaymentRequest event, String requestedBy) {
        ApprovalRequest pending = desk.newRequest(approvalId(event.getTransactionId()), ApprovalKind.PAYOUT,
                        event.getMerchantId(), requestedBy)
                .setTransactionId(event.getTransactionId())
                .setAmountMinor(event.getAmount().getAmountMinor())
                .setCurrency(event.getAmount().getCurrency())
                .setSealedPayout(ByteBuffer.wrap(sealer.seal(event)))
                .build();
        return desk.submit(pending).thenApply(submission -> {
            if (submission instanceof ApprovalDesk.Submission.Full full) {
                throw new IllegalStateException("merchant at its " + full.maxPending() + " pending approvals");
            }
            return pending.getApprovalId();
        });
    }

    @Override
    public String approvalId(String transactionId) {
        return APPROVAL_ID_PREFIX + transactionId;
    }

    @Override
    public Optional<String> heldStatus(String transactionId, String merchantId) {
        return desk.view().find(approvalId(transactionId))
                .filter(approval -> approval.getMerchantId().equals(merchantId))
                .map(approval -> switch (ApprovalView.statusAt(approval, desk.now())) {
                    case PENDING -> PaymentRoutes.PENDING_APPROVAL;
                    case REJECTED -> ApprovalStatus.REJECTED.name();
                    case EXPIRED -> ApprovalStatus.EXPIRED.name();
                    // Approved: on its way to payments.requests, where its own status starts.
                    default -> "PENDING";
                });
    }

    @Override
    public boolean recorded(String transactionId) {
        return desk.view().find(approvalId(transactionId)).isPresent();
    }

    /** The approved payout, opened and handed to the relay; completes once Kafka acknowledged it. */
    private CompletableFuture<Void> publish(ApprovalRequest approved) {
        ByteBuffer sealed = approved.getSealedPayout().duplicate();
        byte[] content = new byte[sealed.remaining()];
        sealed.get(content);
        PaymentRequest event = sealer.open(approved.getTransactionId(), content);
        statusView.recordRequest(event);
        return relay.publish(event).toCompletionStage().toCompletableFuture();
    }
}
