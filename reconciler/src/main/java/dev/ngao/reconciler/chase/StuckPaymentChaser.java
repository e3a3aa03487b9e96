package dev.ngao.reconciler.chase;

import dev.ngao.events.BreakKind;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.StatusTransition;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.reconciler.report.BreakSink;
import dev.ngao.reconciler.view.PostedPaymentsView;
import dev.ngao.reconciler.view.ViewPayment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * Chases payments stuck pending. An approved payment whose provider has given no final status within the
 * provider's timeout is queried through its {@link ProviderAdapter}, again and again with exponential backoff
 * and jitter, until:
 * <ul>
 *   <li>the provider gives a final status: it becomes a {@link ProviderEvent} (source STATUS_QUERY) on
 *   {@code providers.status-queries}, which ingest-service applies like a webhook, so risk releases the
 *   reservation and the ledger posts or releases;</li>
 *   <li>a CIP is still unpaid after its expiry: an EXPIRED event, occurring at the expiry;</li>
 *   <li>the last attempt leaves it pending or unknown: an {@code UNRESOLVED_PENDING} break on
 *   {@code recon.breaks} for manual review. Never a guessed status: a payment is never silently failed or
 *   succeeded.</li>
 * </ul>
 * A chase also ends when the view stops having the payment pending some other way (a webhook's final status, a
 * final DECLINE withdrawing the approval: the ledger refused it for want of funds). Each pass goes over a bounded
 * slice of the chase states and removes those of payments no longer pending; a flagged payment's break is then
 * written again, cleared, with its {@code break.cleared} audit record, since nothing is left to review.
 *
 * <p>Every answer that tells the view something new is sent as an event (a final status; a pending one the view
 * does not have, or a reference it lacks; never UNKNOWN, which ingest skips), with an id deterministic from
 * provider, transaction and status, so a repeat is de-duplicated downstream. Chase state lives in the ledger view, so a restart
 * resumes with the attempts already made.
 */
public final class StuckPaymentChaser {

    /** Pending payments looked at per pass, at most, so a pass over a long backlog stays bounded. */
    static final int MAX_SCANNED_PER_PASS = 10_000;
    /** Chase states looked at per pass, at most, for payments no longer pending; the next pass goes on after them. */
    static final int MAX_SWEPT_PER_PASS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(StuckPaymentChaser.class);

    private final PostedPaymentsView view;
    private final Map<String, ProviderAdapter> adapters;
    private final ChasePolicy policy;
    private final StatusQuerySink queries;
    private final BreakSink breaks;
    private final Clock clock;
    private final RandomGenerator random;
    /** The transaction id the last pass's sweep of chase states stopped after; null to start from the first. */
    private String sweptAfter;

    /** @param adapters by provider id ({@code ProviderKind.id()}) */
    public StuckPaymentChaser(PostedPaymentsView view, Map<String, ProviderAdapter> adapters, ChasePolicy policy,
                              StatusQuerySink queries, BreakSink breaks, Clock clock, RandomGenerator random) {
        this.view = view;
        this.adapters = Map.copyOf(adapters);
        this.policy = policy;
        this.queries = queries;
        this.breaks = breaks;
        this.clock = clock;
        this.random = random;
    }

    /**
     * One pass over the payments that are due, then over a slice of the chase states for payments no longer
     * pending; returns the number of queries made.
     */
    public int chaseOnce() {
        long nowMs = clock.millis();
        List<ViewPayment> pending = view.pendingSince(nowMs - policy.shortestTimeout().toMillis(),
                MAX_SCANNED_PER_PASS);
        int queried = 0;
        for (ViewPayment payment : pending) {
            if (queried >= policy.maxQueriesPerPass()) {
                break;
            }
            if (chase(payment, nowMs)) {
                queried++;
            }
        }
        endChasesNoLongerPending(nowMs);
        return queried;
    }

    /**
     * Removes the chase state of every payment of the slice that the view no longer has awaiting its provider
     * (a final status, whoever brought it, or the approval withdrawn), whatever the phase of its chase: nothing
     * is left to query, and a state left behind would stay for good. A payment still pending keeps its state
     * (chased, answered while the view has not yet applied the answer, or flagged). A failure to send a cleared
     * break stops the sweep before the state is removed; the next pass takes it up there.
     */
    private void endChasesNoLongerPending(long nowMs) {
        List<PostedPaymentsView.ChaseEntry> slice = view.chaseStatesAfter(sweptAfter, MAX_SWEPT_PER_PASS);
        for (PostedPaymentsView.ChaseEntry entry : slice) {
            Optional<ViewPayment> payment = view.payment(entry.transactionId());
            if (payment.isEmpty() || !payment.get().awaitingProvider()) {
                endChase(entry.transactionId(), payment.orElse(null), ChaseState.decode(entry.state()), nowMs);
            }
            sweptAfter = entry.transactionId();
        }
        if (slice.size() < MAX_SWEPT_PER_PASS) {
            sweptAfter = null;
        }
    }

    /**
     * The chase of a payment no longer pending ends; if it was flagged, its {@code UNRESOLVED_PENDING} break is
     * written again under its id and first detection time, {@code cleared}, before the state and the break's
     * emitted mark go (a crash in between sends the same cleared record again).
     */
    private void endChase(String transactionId, ViewPayment payment, ChaseState state, long nowMs) {
        String breakId = null;
        if (state.phase() == ChaseState.Phase.FLAGGED && payment != null && payment.provider() != null) {
            breakId = unresolvedPendingId(payment);
            OptionalLong detectedAtMs = view.emittedAt(breakId);
            if (detectedAtMs.isPresent()) {
                ReconciliationBreak cleared = cleared(payment, detectedAtMs.getAsLong(), nowMs);
                breaks.publish(List.of(cleared));
                LOG.info("Break {} cleared: payment {} is no longer pending ({})", breakId, transactionId,
                        payment.approved() ? "provider status " + payment.status() : "approval withdrawn");
            }
        }
        view.endChase(transactionId, breakId);
    }

    private boolean chase(ViewPayment payment, long nowMs) {
        // A CIP is legitimately pending until paid or expired, so its timeout counts from its expiry.
        long pendingFromMs = payment.expiresAtMs() != 0 ? payment.expiresAtMs() : payment.decidedAtMs();
        if (nowMs - pendingFromMs < policy.timeoutOf(payment.provider()).toMillis()) {
            return false;
        }
        ChaseState state = view.chaseState(payment.transactionId()).map(ChaseState::decode).orElse(ChaseState.NEW);
        if (state.phase() != ChaseState.Phase.CHASING) {
            view.forgetPending(payment);
            return false;
        }
        if (state.nextAttemptAtMs() > nowMs) {
            return false;
        }
        ProviderAdapter adapter = adapters.get(payment.provider());
        if (adapter == null) {
            LOG.debug("No adapter for provider {}: payment {} cannot be queried", payment.provider(),
                    payment.transactionId());
            return false;
        }
        int attempts = state.attempts() + 1;
        ProviderStatusResult answer = query(adapter, payment, attempts);
        if (tellsSomethingNew(payment, answer)) {
            queries.publish(event(payment, answer.status(), answer, occurredAt(answer, nowMs), nowMs));
        }
        if (answer != null && answer.isFinal()) {
            finish(payment, attempts, "answered " + answer.status());
        } else if (payment.expiresAtMs() != 0 && nowMs >= payment.expiresAtMs() && answer != null
                && answer.status() == ProviderStatus.PENDING) {
            // The provider still has the code unpaid past its expiry: it will never be paid. An UNKNOWN answer
            // is no such word, and is chased on like any other.
            queries.publish(event(payment, ProviderStatus.EXPIRED, answer, Instant.ofEpochMilli(payment.expiresAtMs()),
                    nowMs));
            finish(payment, attempts, "expired unpaid");
        } else if (attempts >= policy.maxAttempts()) {
            flag(payment, attempts, answer, nowMs);
        } else {
            Duration wait = policy.backoffAfter(attempts, random);
            view.putChaseState(payment.transactionId(),
                    new ChaseState(ChaseState.Phase.CHASING, attempts, nowMs + wait.toMillis()).encode());
            LOG.debug("Payment {} still {} after {} queries, next in {}", payment.transactionId(),
                    answer == null ? "unanswered" : answer.status(), attempts, wait);
        }
        return true;
    }

    /**
     * Whether an answer is worth an event: a final status always; a non-final one only when the view does not
     * know it yet (the provider's status or reference differs), since ingest de-duplicates a repeated PENDING
     * only after locking the transaction and writing, one record at a time. Never UNKNOWN or no answer, which
     * ingest skips: after an outage the chaser queries every payment whose webhook was lost, every few seconds,
     * and each such event was a record for ingest to work through before the final answers behind it.
     */
    static boolean tellsSomethingNew(ViewPayment payment, ProviderStatusResult answer) {
        if (answer == null || answer.status() == null || answer.status() == ProviderStatus.UNKNOWN) {
            return false;
        }
        return answer.isFinal() || answer.status() != payment.status()
                || answer.providerReference() != null && !answer.providerReference().equals(payment.providerReference());
    }

    /** The provider's answer, or null when it gave none in time (counted as an attempt). */
    private ProviderStatusResult query(ProviderAdapter adapter, ViewPayment payment, int attempt) {
        try {
            return adapter.queryStatus(payment.transactionId(), payment.providerReference()).toCompletableFuture()
                    .get(policy.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.info("Status query {} of payment {} at {} failed: {}", attempt, payment.transactionId(),
                    payment.provider(), (cause == null ? e : cause).getClass().getSimpleName());
            return null;
        }
    }

    private void finish(ViewPayment payment, int attempts, String how) {
        view.putChaseState(payment.transactionId(), new ChaseState(ChaseState.Phase.ANSWERED, attempts, 0).encode());
        view.forgetPending(payment);
        LOG.info("Stuck payment {} at {} {} after {} queries", payment.transactionId(), payment.provider(), how,
                attempts);
    }

    private void flag(ViewPayment payment, int attempts, ProviderStatusResult answer, long nowMs) {
        String breakId = unresolvedPendingId(payment);
        if (view.emittedAt(breakId).isEmpty()) {
            String last = answer == null ? "no answer" : "status " + answer.status();
            breaks.publish(List.of(unresolvedPending(payment, "pending since "
                    + Instant.ofEpochMilli(payment.decidedAtMs()) + "; " + attempts
                    + " status queries, the last gave " + last + "; needs manual review", nowMs)));
            view.markEmitted(Map.of(breakId, nowMs));
        }
        view.putChaseState(payment.transactionId(), new ChaseState(ChaseState.Phase.FLAGGED, attempts, 0).encode());
        view.forgetPending(payment);
        LOG.warn("Payment {} at {} still unresolved after {} status queries: flagged for manual review",
                payment.transactionId(), payment.provider(), attempts);
    }

    private static String unresolvedPendingId(ViewPayment payment) {
        return BreakKind.UNRESOLVED_PENDING.name() + ":" + payment.provider() + ":" + payment.transactionId();
    }

    /**
     * The flagged payment's break cleared: the view no longer has it pending, so there is nothing to review. Same
     * id, detection time, provider and settlement day as when it was raised; {@code cleared} with its time.
     */
    private static ReconciliationBreak cleared(ViewPayment payment, long detectedAtMs, long nowMs) {
        Instant clearedAt = Instant.ofEpochMilli(nowMs);
        String why = payment.approved()
                ? "the provider's final status " + payment.status() + " (at " + Instant.ofEpochMilli(
                        payment.statusAtMs()) + ") reached the ledger view after the payment was flagged, at "
                        + clearedAt + "; it is no longer pending"
                : "a final DECLINE withdrew the approval (the ledger refused it for want of funds, LEDGER_REFUSAL, "
                        + "or the card network was answered DECLINE) and reached the ledger view after the payment "
                        + "was flagged, at " + clearedAt + "; nothing is owed by the provider";
        ReconciliationBreak cleared = unresolvedPending(payment, "cleared: " + why, detectedAtMs);
        cleared.setCleared(true);
        cleared.setClearedAt(clearedAt);
        return cleared;
    }

    /**
     * The {@code UNRESOLVED_PENDING} break of a payment. Its settlement day is the approval's, in the provider's
     * zone: a pending payment's, which it was when flagged, whatever final status comes later.
     */
    private static ReconciliationBreak unresolvedPending(ViewPayment payment, String detail, long detectedAtMs) {
        LocalDate day = payment.decidedAtMs() == 0 || payment.provider() == null ? null
                : Instant.ofEpochMilli(payment.decidedAtMs()).atZone(ViewPayment.zoneOf(payment.provider()))
                        .toLocalDate();
        return ReconciliationBreak.newBuilder()
                .setBreakId(unresolvedPendingId(payment))
                .setKind(BreakKind.UNRESOLVED_PENDING)
                .setTransactionId(payment.transactionId())
                .setExpected(payment.expectedAmount())
                .setActual(null)
                .setDetail(detail)
                .setDetectedAt(Instant.ofEpochMilli(detectedAtMs))
                .setProvider(payment.provider())
                .setProviderReference(payment.providerReference())
                .setSettlementDay(day == null ? null : day.toString())
                .build();
    }

    private static Instant occurredAt(ProviderStatusResult answer, long nowMs) {
        return answer.occurredAt() != null ? answer.occurredAt() : Instant.ofEpochMilli(nowMs);
    }

    /** Deterministic ids: the same answer about the same payment is the same event, however often it is given. */
    static ProviderEvent event(ViewPayment payment, ProviderStatus status, ProviderStatusResult answer,
                               Instant occurredAt, long nowMs) {
        String providerEventId = "status-query:" + payment.transactionId() + ":" + status.name();
        String reference = answer.providerReference() != null ? answer.providerReference()
                : payment.providerReference();
        return ProviderEvent.newBuilder()
                .setEventId("sq:" + payment.provider() + ":" + payment.transactionId() + ":" + status.name())
                .setProvider(payment.provider())
                .setProviderEventId(providerEventId)
                .setTransactionId(payment.transactionId())
                .setProviderReference(reference)
                .setStatus(status)
                .setAmount(answer.amount())
                .setFee(answer.fee())
                .setSource(ProviderEventSource.STATUS_QUERY)
                .setOccurredAt(occurredAt)
                .setReceivedAt(Instant.ofEpochMilli(nowMs))
                .setTransition(StatusTransition.APPLIED)
                .setPreviousStatus(payment.status())
                .build();
    }
}
