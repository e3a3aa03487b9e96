package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalKind;
import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.ApprovalStatus;
import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.ingest.audit.PiiScrubber;
import dev.ngao.ingest.audit.RequestAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Maker-checker: requests that wait for a second person, and their decisions. A request (a payout above its
 * merchant's threshold, a batch of card issuances) is written PENDING to {@code ingest.approvals}; another key
 * with {@code approvals:approve} approves or rejects it, or it expires. Every decision is a write judged by
 * log order: the first decision of a pending approval wins on every instance, and only its writer delivers
 * the approved request (its {@link Delivery}), then marks it delivered. Decisions of one approval on this
 * instance run one after the other, so concurrent approvals here see each other; on two instances, the loser
 * reads the winner's decision and writes it back as the latest record (what compaction keeps).
 *
 * <p>Every step is audited on {@code audit.ingest}: {@code approval.requested}, {@code approval.approved},
 * {@code approval.rejected}, {@code approval.expired}, by the deciding key, with no personal data.
 */
public final class ApprovalDesk {

    /** Who expires an approval nobody decided. */
    public static final String SYSTEM_ACTOR = RequestAudit.COMPONENT;
    public static final String SUBJECT_APPROVAL = "approval";
    /** The reason an expiry records. */
    public static final String EXPIRED_REASON = "Not decided before it expired.";
    /**
     * How long after its decision an approved request whose delivery is not marked may be delivered again by
     * another call: the deciding writer (maybe on another instance) delivers well within it, so a redelivery
     * before it would only race that writer; past it, the writer evidently failed or died.
     */
    public static final Duration REDELIVERY_GRACE = Duration.ofMinutes(2);
    /** Failed deliveries remembered for an immediate retry; beyond it a retry waits for the grace. */
    static final int MAXIMUM_FAILED_DELIVERIES_REMEMBERED = 10_000;
    /** Overdue approvals expired per sweep at most. */
    static final int MAXIMUM_EXPIRED_PER_SWEEP = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalDesk.class);

    /** What an approved request does, once: publish the payout, issue the cards. Completes once Kafka acknowledged. */
    @FunctionalInterface
    public interface Delivery {
        CompletableFuture<Void> deliver(ApprovalRequest approved);
    }

    /** What became of a new request. */
    public sealed interface Submission {
        /** Written, waiting for a checker. */
        record Created(ApprovalRequest approval) implements Submission {
        }

        /** An approval of that id already exists (a retried payout): this is it, unchanged. */
        record Known(ApprovalRequest approval) implements Submission {
        }

        /** The merchant has as many pending approvals as it may. */
        record Full(int maxPending) implements Submission {
        }
    }

    /** What became of a decision. */
    public sealed interface Decision {
        /** Decided now, or ({@code replayed}) it was already decided so by an earlier call. */
        record Decided(ApprovalRequest approval, boolean replayed) implements Decision {
        }

        record NotFound() implements Decision {
        }

        /** The deciding key made the request: four eyes means two keys. */
        record OwnRequest(ApprovalRequest approval) implements Decision {
        }

        /** Decided otherwise before. */
        record AlreadyDecided(ApprovalRequest approval) implements Decision {
        }

        /** Past its expiry: it can no longer be approved or rejected. */
        record Expired(ApprovalRequest approval) implements Decision {
        }
    }

    private final ApprovalLog log;
    private final ApprovalView view;
    private final Clock clock;
    private final Duration timeToLive;
    private final int maxPendingPerMerchant;
    private final Consumer<AuditRecord> audit;
    private final Map<ApprovalKind, Delivery> deliveries = new EnumMap<>(ApprovalKind.class);
    private final Map<String, CompletableFuture<Decision>> decisionsInFlight = new HashMap<>();
    /** Approvals whose delivery failed here: the next approval call delivers them again at once. */
    private final Set<String> deliveriesFailedHere = ConcurrentHashMap.newKeySet();

    /**
     * @param timeToLive            how long a request waits for its decision before it expires
     * @param maxPendingPerMerchant most pending approvals of one merchant; a request beyond them is refused
     */
    public ApprovalDesk(ApprovalLog log, ApprovalView view, Clock clock, Duration timeToLive,
                        int maxPendingPerMerchant, Consumer<AuditRecord> audit) {
        if (maxPendingPerMerchant < 1) {
            throw new IllegalArgumentException("maxPendingPerMerchant must be positive");
        }
        this.log = log;
        this.view = view;
        this.clock = clock;
        this.timeToLive = timeToLive;
        this.maxPendingPerMerchant = maxPendingPerMerchant;
        this.audit = audit;
    }

    /** Tells the desk how approved requests of {@code kind} are delivered; set once at wiring. */
    public synchronized void deliverWith(ApprovalKind kind, Delivery delivery) {
        if (deliveries.putIfAbsent(kind, delivery) != null) {
            throw new IllegalStateException("delivery of " + kind + " set twice");
        }
    }

    public ApprovalView view() {
        return view;
    }

    public Instant now() {
        return clock.instant();
    }

    /** A pending request of {@code kind} made now by {@code requestedBy} for {@code merchantId}; add its content. */
    public ApprovalRequest.Builder newRequest(String approvalId, ApprovalKind kind, String merchantId,
                                              String requestedBy) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return ApprovalRequest.newBuilder()
                .setApprovalId(approvalId)
                .setKind(kind)
                .setStatus(ApprovalStatus.PENDING)
                .setMerchantId(merchantId)
                .setRequestedBy(requestedBy)
                .setRequestedAt(now)
                .setExpiresAt(now.plus(timeToLive));
    }

    /** Whether {@code merchantId} has as many pending approvals as it may. */
    public boolean full(String merchantId) {
        return view.pendingCount(merchantId, clock.instant()) >= maxPendingPerMerchant;
    }

    /** Writes {@code pending} unless its id exists or its merchant is at its bound; audits a new one. */
    public CompletableFuture<Submission> submit(ApprovalRequest pending) {
        Optional<ApprovalRequest> existing = view.find(pending.getApprovalId());
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(new Submission.Known(existing.get()));
        }
        if (full(pending.getMerchantId())) {
            return CompletableFuture.completedFuture(new Submission.Full(maxPendingPerMerchant));
        }
        return log.append(pending).thenApply(applied -> {
            ApprovalRequest stored = view.find(pending.getApprovalId()).orElse(pending);
            if (!stored.equals(pending)) {
                return new Submission.Known(stored);
            }
            audit(stored, "approval.requested", stored.getRequestedBy());
            LOG.info("Approval {} ({}) of merchant {} requested by key {}", stored.getApprovalId(), stored.getKind(),
                    stored.getMerchantId(), stored.getRequestedBy());
            return new Submission.Created(stored);
        });
    }

    /**
     * {@code actorKeyId} approves ({@code APPROVED}) or rejects ({@code REJECTED}) an approval, or the
     * service expires it ({@code EXPIRED}). Decisions of one approval run one after the other here.
     */
    public CompletableFuture<Decision> decide(String approvalId, String actorKeyId, ApprovalStatus verdict,
                                              String reason) {
        if (verdict == ApprovalStatus.PENDING || verdict == ApprovalStatus.UNKNOWN) {
            throw new IllegalArgumentException("not a decision: " + verdict);
        }
        synchronized (decisionsInFlight) {
            CompletableFuture<Decision> previous = decisionsInFlight.getOrDefault(approvalId,
                    CompletableFuture.completedFuture(null));
            CompletableFuture<Decision> next = previous.handle((ignored, error) -> null)
                    .thenCompose(ignored -> decideNow(approvalId, actorKeyId, verdict, reason));
            decisionsInFlight.put(approvalId, next);
            next.whenComplete((ignored, error) -> {
                synchronized (decisionsInFlight) {
                    decisionsInFlight.remove(approvalId, next);
                }
            });
            return next;
        }
    }

    /** Writes EXPIRED for every pending approval past its expiry (up to a bound per call); returns how many. */
    public int expireOverdue() {
        var overdue = view.overdue(clock.instant(), MAXIMUM_EXPIRED_PER_SWEEP);
        overdue.forEach(approval -> decide(approval.getApprovalId(), SYSTEM_ACTOR, ApprovalStatus.EXPIRED,
                EXPIRED_REASON).whenComplete((decision, error) -> {
                    if (error != null) {
                        LOG.warn("Approval {} not expired yet ({}); the next sweep tries again",
                                approval.getApprovalId(), error.toString());
                    }
                }));
        return overdue.size();
    }

    private CompletableFuture<Decision> decideNow(String approvalId, String actorKeyId, ApprovalStatus verdict,
                                                  String reason) {
        Optional<ApprovalRequest> found = view.find(approvalId);
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(new Decision.NotFound());
        }
        ApprovalRequest approval = found.get();
        if (verdict != ApprovalStatus.EXPIRED && approval.getRequestedBy().equals(actorKeyId)) {
            return CompletableFuture.completedFuture(new Decision.OwnRequest(approval));
        }
        ApprovalStatus status = ApprovalView.statusAt(approval, clock.instant());
        if (approval.getStatus() == ApprovalStatus.PENDING && status == ApprovalStatus.PENDING) {
            return write(approval, actorKeyId, verdict, reason);
        }
        if (approval.getStatus() == ApprovalStatus.PENDING) {
            // Past its expiry but not yet closed: closed now, by the service, whoever asked.
            return write(approval, SYSTEM_ACTOR, ApprovalStatus.EXPIRED, EXPIRED_REASON)
                    .thenApply(decided -> verdict == ApprovalStatus.EXPIRED ? decided
                            : new Decision.Expired(view.find(approvalId).orElse(approval)));
        }
        if (status == verdict && status == ApprovalStatus.APPROVED && approval.getDeliveredAt() == null
                && (deliveriesFailedHere.remove(approvalId)
                || approval.getDecidedAt().plus(REDELIVERY_GRACE).isBefore(clock.instant()))) {
            // Approved, its delivery failed or never confirmed: the same events again (same ids), then the mark.
            return deliver(approval).thenApply(delivered -> new Decision.Decided(delivered, true));
        }
        if (status == verdict) {
            return CompletableFuture.completedFuture(new Decision.Decided(approval, true));
        }
        if (status == ApprovalStatus.EXPIRED) {
            return CompletableFuture.completedFuture(new Decision.Expired(approval));
        }
        return CompletableFuture.completedFuture(new Decision.AlreadyDecided(approval));
    }

    /** Writes the decision; log order says whether it is the approval's first. Only the first is acted on. */
    private CompletableFuture<Decision> write(ApprovalRequest pending, String actorKeyId, ApprovalStatus verdict,
                                              String reason) {
        ApprovalRequest decided = ApprovalRequest.newBuilder(pending)
                .setStatus(verdict)
                .setDecisionId(UUID.randomUUID().toString())
                .setDecidedBy(actorKeyId)
                .setDecidedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setReason(reason)
                .build();
        return log.append(decided).thenCompose(applied -> {
            ApprovalRequest winner = view.find(decided.getApprovalId()).orElse(decided);
            if (!Objects.equals(winner.getDecisionId(), decided.getDecisionId())) {
                // Another writer decided first: its decision stays the latest record of the key, then is judged.
                LOG.info("Approval {}: {} by {} came after {} by {}", decided.getApprovalId(), verdict, actorKeyId,
                        winner.getStatus(), winner.getDecidedBy());
                return log.append(winner).thenCompose(restored ->
                        decideNow(decided.getApprovalId(), actorKeyId, verdict, reason));
            }
            audit(winner, "approval." + verdict.name().toLowerCase(java.util.Locale.ROOT), actorKeyId);
            LOG.info("Approval {} ({}) of merchant {} {} by key {}", winner.getApprovalId(), winner.getKind(),
                    winner.getMerchantId(), verdict, actorKeyId);
            if (verdict != ApprovalStatus.APPROVED) {
                return CompletableFuture.completedFuture(new Decision.Decided(winner, false));
            }
            return deliver(winner).thenApply(delivered -> new Decision.Decided(delivered, false));
        });
    }

    /** Delivers an approved request, then marks it delivered on the log; answers the approval as now known. */
    private CompletableFuture<ApprovalRequest> deliver(ApprovalRequest approved) {
        Delivery delivery;
        synchronized (this) {
            delivery = deliveries.get(approved.getKind());
        }
        if (delivery == null) {
            throw new IllegalStateException("no delivery for approvals of kind " + approved.getKind());
        }
        return delivery.deliver(approved).whenComplete((delivered, error) -> {
            if (error != null && deliveriesFailedHere.size() < MAXIMUM_FAILED_DELIVERIES_REMEMBERED) {
                deliveriesFailedHere.add(approved.getApprovalId());
            }
        }).thenCompose(delivered -> {
            ApprovalRequest marked = ApprovalRequest.newBuilder(approved)
                    .setDeliveredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS)).build();
            return log.append(marked).thenApply(applied -> view.find(approved.getApprovalId()).orElse(marked));
        });
    }

    private void audit(ApprovalRequest approval, String action, String actor) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("kind", approval.getKind().name());
        details.put("merchantId", approval.getMerchantId());
        details.put("requestedBy", approval.getRequestedBy());
        details.put("expiresAt", approval.getExpiresAt().toString());
        if (approval.getTransactionId() != null) {
            details.put("transactionId", approval.getTransactionId());
        }
        if (approval.getAmountMinor() != null) {
            details.put("amountMinor", Long.toString(approval.getAmountMinor()));
            details.put("currency", approval.getCurrency());
        }
        if (approval.getKind() == ApprovalKind.CARD_BATCH) {
            details.put("cardCount", Integer.toString(approval.getCards().size()));
        }
        if (approval.getReason() != null) {
            details.put("reason", PiiScrubber.scrub(approval.getReason()));
        }
        audit.accept(AuditRecord.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setComponent(RequestAudit.COMPONENT)
                .setActor(actor)
                .setAction(action)
                .setSubjectType(SUBJECT_APPROVAL)
                .setSubjectId(approval.getApprovalId())
                .setOutcome(AuditOutcome.SUCCESS)
                .setDetails(details)
                .build());
    }
}
