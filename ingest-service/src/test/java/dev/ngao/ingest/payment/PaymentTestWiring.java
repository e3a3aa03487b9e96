package dev.ngao.ingest.payment;

import dev.ngao.ingest.approval.ApprovalDesk;
import dev.ngao.ingest.approval.PayoutApprovals;
import dev.ngao.ingest.approval.PayoutThresholds;
import dev.ngao.ingest.idempotency.ClaimStore;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.pii.PiiProtector;

import java.time.Clock;
import java.time.Duration;

/**
 * The payment routes as the service wires them, for tests: derived transaction ids, requests sealed under a
 * test master key (plain Avro binary, no registry), and a relay told of every accepting claim that
 * {@code claims} folds. The relay is not started: tests sweep it by hand.
 */
public record PaymentTestWiring(PaymentRoutes routes, PaymentRelay relay, SealedPaymentRequests sealer,
                                TransactionIds transactionIds) {

    public static final byte[] MASTER_KEY = new byte[32];
    public static final Duration GRACE = Duration.ofSeconds(30);

    public static PaymentTestWiring create(ClaimStore claims, PiiProtector pii, PaymentRequestPublisher publisher,
                                           PaymentStatusView statusView, int bodyLimitBytes, Clock clock) {
        return create(claims, pii, publisher, statusView, bodyLimitBytes, clock, null, PayoutThresholds.NONE);
    }

    /** As above, payouts above {@code thresholds} waiting on {@code approvals} (none when it is null). */
    public static PaymentTestWiring create(ClaimStore claims, PiiProtector pii, PaymentRequestPublisher publisher,
                                           PaymentStatusView statusView, int bodyLimitBytes, Clock clock,
                                           ApprovalDesk approvals, PayoutThresholds thresholds) {
        SealedPaymentRequests sealer = SealedPaymentRequests.withAvroBinary(MASTER_KEY);
        PaymentRelay relay = new PaymentRelay(publisher, sealer,
                transactionId -> statusView.find(transactionId).isPresent(), clock, GRACE, 1_000);
        claims.onAccepted(relay::accepted);
        TransactionIds transactionIds = new TransactionIds(pii);
        PayoutGate gate = approvals == null ? PayoutGate.NONE
                : new PayoutApprovals(approvals, thresholds, sealer, relay, statusView);
        PaymentRoutes routes = new PaymentRoutes(new PaymentRequestEvents(pii, clock), transactionIds, sealer, relay,
                statusView, bodyLimitBytes, gate);
        return new PaymentTestWiring(routes, relay, sealer, transactionIds);
    }
}
