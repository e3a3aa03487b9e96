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
 * Every answer that tells the view something new is sent as an event (a final status; a pending one the view
 * does not have, or a reference it lacks; never UNKNOWN, which ingest skips), with an id deterministic from
 * provider, transaction and status, so a repeat is de-duplicated downstream. Chase state lives in the ledger view, so a restart
 * resumes with the attempts already made.
 */
public final class StuckPaymentChaser {

    /** Pending payments looked at per pass, at most, so a pass over a long backlog stays bounded. */
    static final int MAX_SCANNED_PER_PASS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(StuckPaymentChaser.class);

    private final PostedPaymentsView view;
    private final Map<String, ProviderAdapter> adapters;
    private final ChasePolicy policy;
    private final StatusQuerySink queries;
    private final BreakSink breaks;
    private final Clock clock;
    private final RandomGenerator random;

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

    /** One pass over the payments that are due; returns the number of queries made. */
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
        return queried;
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
        String breakId = BreakKind.UNRESOLVED_PENDING.name() + ":" + payment.provider() + ":" + payment.transactionId();
        if (view.emittedAt(breakId).isEmpty()) {
            String last = answer == null ? "no answer" : "status " + answer.status();
            LocalDate day = payment.settlementDay();
            ReconciliationBreak flagged = ReconciliationBreak.newBuilder()
                    .setBreakId(breakId)
                    .setKind(BreakKind.UNRESOLVED_PENDING)
                    .setTransactionId(payment.transactionId())
                    .setExpected(payment.expectedAmount())
                    .setActual(null)
                    .setDetail("pending since " + Instant.ofEpochMilli(payment.decidedAtMs()) + "; " + attempts
                            + " status queries, the last gave " + last + "; needs manual review")
                    .setDetectedAt(Instant.ofEpochMilli(nowMs))
                    .setProvider(payment.provider())
                    .setProviderReference(payment.providerReference())
                    .setSettlementDay(day == null ? null : day.toString())
                    .build();
            breaks.publish(List.of(flagged));
            view.markEmitted(Map.of(breakId, nowMs));
        }
        view.putChaseState(payment.transactionId(), new ChaseState(ChaseState.Phase.FLAGGED, attempts, 0).encode());
        view.forgetPending(payment);
        LOG.warn("Payment {} at {} still unresolved after {} status queries: flagged for manual review",
                payment.transactionId(), payment.provider(), attempts);
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
