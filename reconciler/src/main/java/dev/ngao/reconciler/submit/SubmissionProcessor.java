package dev.ngao.reconciler.submit;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderCallPurpose;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Decides when each approved payment is handed to its provider, once, and never calls the provider itself.
 * Requests (re-keyed by transaction id: ingest keys them by account), decisions, ledger entries and the results of
 * earlier calls of a transaction meet here: the request waits in {@code submit-requests} until its go-ahead; an
 * {@code APPROVE} (initial, or the resolution of a review) of a collection or a CIP, or the ledger's hold entry
 * ({@code payout.approved}) of a payout (so a payout the ledger refused for want of funds is never sent), writes a
 * {@link SubmissionIntent} to {@code providers.submissions}, in the same exactly-once transaction as the state
 * that says it was written; a {@code DECLINE} (initial, resolved, or the ledger's refusal of a payout, which
 * comes as a LEDGER_REFUSAL decision) forgets the request.
 *
 * <p>The call is the {@link SubmissionDispatcher}'s, outside the stream thread: a blocking call here would be
 * repeated by every replay of an aborted transaction (a crash, a rebalance) and would hold the task's commit. The
 * dispatcher writes what the call came to on {@code providers.submission-results}, and this processor goes on from
 * it: an answer (the provider's reference and first status) goes to {@code providers.status-queries}, which
 * ingest-service judges and writes to {@code providers.events} like any status, so the ledger view learns the
 * reference the chaser queries with; a retryable failure (timeout, 5xx, 429, open circuit) gets another intent
 * after a backoff, from a wall-clock punctuation; a refusal (another 4xx) is the provider's word that it did not
 * take the payment and becomes a {@code FAILED} status, so the reservation and any hold are released. After the
 * last attempt, or when the answer cannot be read, nothing is guessed: the payment stays approved without a
 * provider status and the stuck-payment chaser queries it until it is resolved or flagged for manual review. Only
 * the first result of the attempt in flight counts; a repeat (a dispatcher that recorded and then crashed before
 * its commit) is ignored.
 */
final class SubmissionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    /** The payment types Ngao instructs a provider with; card flows start at the card network, not here. */
    static final Set<PaymentType> SUBMITTED_TYPES = EnumSet.of(PaymentType.MOBILE_MONEY_COLLECTION,
            PaymentType.MOBILE_MONEY_PAYOUT, PaymentType.CIP_PAYMENT);
    /**
     * Money leaving the merchant is sent only once the ledger holds it: a payout risk approved but the ledger
     * refused (no funds) must never reach the provider. The ledger's hold entry is the go-ahead.
     */
    static final String PAYOUT_HOLD_KIND = "payout.approved";
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionProcessor.class);
    private static final long PURGE_INTERVAL_MS = TimeUnit.HOURS.toMillis(1);

    private final SubmissionPolicy policy;
    private final RandomGenerator random;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, PaymentRequest> requests;
    private KeyValueStore<String, String> states;
    private KeyValueStore<String, Long> retries;

    SubmissionProcessor(SubmissionPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.requests = context.getStateStore(SubmissionTopology.REQUESTS_STORE);
        this.states = context.getStateStore(SubmissionTopology.STATE_STORE);
        this.retries = context.getStateStore(SubmissionTopology.RETRIES_STORE);
        context.schedule(policy.retryCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::retryDue);
        context.schedule(Duration.ofMillis(PURGE_INTERVAL_MS), PunctuationType.WALL_CLOCK_TIME,
                this::purgeExpired);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        if (record.value() instanceof PaymentRequest request) {
            onRequest(record.key(), request);
        } else if (record.value() instanceof RiskDecision decision) {
            onDecision(record.key(), decision);
        } else if (record.value() instanceof JournalEntry entry && PAYOUT_HOLD_KIND.equals(entry.getKind())) {
            onApproval(record.key());
        } else if (record.value() instanceof SubmissionResult result) {
            onResult(record.key(), result);
        }
    }

    private void onRequest(String transactionId, PaymentRequest request) {
        SubmissionState state = state(transactionId);
        if (state != null && state.phase() != SubmissionState.Phase.AWAITING_REQUEST) {
            return;
        }
        if (!SUBMITTED_TYPES.contains(request.getType())) {
            return;
        }
        requests.put(transactionId, request);
        if (state != null) {
            attempt(transactionId, request, 0);
        }
    }

    private void onDecision(String transactionId, RiskDecision decision) {
        if (decision.getKind() == DecisionKind.UNKNOWN) {
            return;
        }
        if (!SUBMITTED_TYPES.contains(decision.getType())) {
            return;
        }
        SubmissionState state = state(transactionId);
        if (state != null && state.phase() != SubmissionState.Phase.AWAITING_REQUEST) {
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        switch (decision.getOutcome()) {
            case APPROVE -> {
                if (decision.getType() != PaymentType.MOBILE_MONEY_PAYOUT) {
                    onApproval(transactionId);
                }
                // A payout waits for the ledger's hold.
            }
            case DECLINE -> {
                requests.delete(transactionId);
                states.put(transactionId, SubmissionState.done(0, nowMs).encode());
            }
            default -> {
                // REVIEW or CHALLENGE: the request waits for the final decision (the analyst's resolution, the
                // challenge's result or its expiry).
            }
        }
    }

    private void onApproval(String transactionId) {
        SubmissionState state = state(transactionId);
        if (state != null && state.phase() != SubmissionState.Phase.AWAITING_REQUEST) {
            return;
        }
        PaymentRequest request = requests.get(transactionId);
        if (request == null) {
            states.put(transactionId, SubmissionState.awaitingRequest(context.currentSystemTimeMs()).encode());
        } else {
            attempt(transactionId, request, 0);
        }
    }

    /** One submission: its intent, for the dispatcher; {@code previousAttempts} failed before it. */
    private void attempt(String transactionId, PaymentRequest request, int previousAttempts) {
        int attempts = previousAttempts + 1;
        long nowMs = context.currentSystemTimeMs();
        SubmissionIntent intent = SubmissionIntent.newBuilder()
                .setTransactionId(transactionId)
                .setProvider(request.getProvider())
                .setPurpose(ProviderCallPurpose.SUBMIT)
                .setAttempt(attempts)
                .setRequest(request)
                .setIntendedAt(Instant.ofEpochMilli(nowMs))
                .build();
        context.forward(new Record<>(transactionId, intent, nowMs));
        retries.delete(transactionId);
        states.put(transactionId, SubmissionState.submitting(attempts, nowMs).encode());
        LOG.debug("Payment {} to {}: submission {} written for the dispatcher", transactionId, request.getProvider(),
                attempts);
    }

    /** What the dispatcher's call of the attempt in flight came to; anything else is a repeat and is ignored. */
    private void onResult(String transactionId, SubmissionResult result) {
        SubmissionState state = state(transactionId);
        if (state == null || state.phase() != SubmissionState.Phase.SUBMITTING || state.attempts() != result.getAttempt()
                || result.getPurpose() != ProviderCallPurpose.SUBMIT) {
            LOG.debug("Result of submission {} of payment {} ignored: not the attempt in flight", result.getAttempt(),
                    transactionId);
            return;
        }
        PaymentRequest request = requests.get(transactionId);
        long nowMs = context.currentSystemTimeMs();
        int attempts = state.attempts();
        switch (result.getOutcome()) {
            case ANSWERED -> {
                if (result.getStatus() != null && request != null) {
                    forward(transactionId, event(request, result.getStatus(), result.getProviderReference(), result,
                            nowMs));
                }
                finish(transactionId, attempts, nowMs);
            }
            case REFUSED -> {
                // The provider answered that it will not take the payment: a failure, in its own words.
                if (request != null) {
                    forward(transactionId, event(request, ProviderStatus.FAILED, null, null, nowMs));
                }
                finish(transactionId, attempts, nowMs);
            }
            case RETRYABLE_FAILURE -> {
                if (request == null) {
                    finish(transactionId, attempts, nowMs);
                } else {
                    retryLater(transactionId, attempts, nowMs, result.getFailure());
                }
            }
            default -> {
                LOG.error("Payment {} at {}: {} ({}); left to the stuck-payment chaser", transactionId,
                        result.getProvider(), result.getOutcome(), result.getFailure());
                finish(transactionId, attempts, nowMs);
            }
        }
    }

    private void retryLater(String transactionId, int attempts, long nowMs, String why) {
        if (attempts >= policy.maxAttempts()) {
            LOG.warn("Payment {} not submitted after {} attempts ({}); left to the stuck-payment chaser",
                    transactionId, attempts, why);
            finish(transactionId, attempts, nowMs);
            return;
        }
        long nextMs = nowMs + policy.backoffAfter(attempts, random).toMillis();
        states.put(transactionId, new SubmissionState(SubmissionState.Phase.RETRYING, attempts, nextMs, nowMs).encode());
        retries.put(transactionId, nextMs);
        LOG.info("Submission {} of payment {} failed ({}); next at {}", attempts, transactionId, why,
                Instant.ofEpochMilli(nextMs));
    }

    private void finish(String transactionId, int attempts, long nowMs) {
        requests.delete(transactionId);
        retries.delete(transactionId);
        states.put(transactionId, SubmissionState.done(attempts, nowMs).encode());
    }

    private void retryDue(long nowMs) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = retries.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value <= nowMs) {
                    due.add(entry);
                }
            });
        }
        for (KeyValue<String, Long> entry : due) {
            SubmissionState state = state(entry.key);
            PaymentRequest request = requests.get(entry.key);
            if (state == null || state.phase() != SubmissionState.Phase.RETRYING || request == null) {
                retries.delete(entry.key);
                continue;
            }
            attempt(entry.key, request, state.attempts());
        }
    }

    /**
     * Forgets what is older than the retention: requests that never got a decision, and the record of finished
     * transactions (a decision replayed later than that would be older than the topics keep anyway).
     */
    private void purgeExpired(long nowMs) {
        long cutoffMs = nowMs - policy.retention().toMillis();
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, PaymentRequest> all = requests.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.getRequestedAt().toEpochMilli() < cutoffMs && !retrying(entry.key)) {
                    stale.add(entry.key);
                }
            });
        }
        stale.forEach(requests::delete);
        stale.clear();
        try (KeyValueIterator<String, String> all = states.all()) {
            all.forEachRemaining(entry -> {
                SubmissionState state = SubmissionState.decode(entry.value);
                if (state.phase() != SubmissionState.Phase.RETRYING && state.sinceMs() < cutoffMs) {
                    stale.add(entry.key);
                }
            });
        }
        stale.forEach(states::delete);
    }

    private boolean retrying(String transactionId) {
        return retries.get(transactionId) != null;
    }

    private SubmissionState state(String transactionId) {
        String text = states.get(transactionId);
        return text == null ? null : SubmissionState.decode(text);
    }

    private void forward(String transactionId, ProviderEvent event) {
        context.forward(new Record<>(transactionId, event, context.currentSystemTimeMs()));
    }

    /** Deterministic ids: the same answer to the same submission is the same event, however often it is sent. */
    static ProviderEvent event(PaymentRequest request, ProviderStatus status, String reference,
                               SubmissionResult answer, long nowMs) {
        Instant now = Instant.ofEpochMilli(nowMs).truncatedTo(ChronoUnit.MILLIS);
        Instant occurredAt = answer != null && answer.getOccurredAt() != null
                ? answer.getOccurredAt().truncatedTo(ChronoUnit.MILLIS) : now;
        return ProviderEvent.newBuilder()
                .setEventId("sub:" + request.getProvider() + ":" + request.getTransactionId() + ":" + status.name())
                .setProvider(request.getProvider())
                .setProviderEventId("submission:" + request.getTransactionId() + ":" + status.name())
                .setTransactionId(request.getTransactionId())
                .setProviderReference(reference)
                .setStatus(status)
                .setAmount(answer != null && answer.getAmount() != null ? answer.getAmount() : request.getAmount())
                .setFee(answer == null ? null : answer.getFee())
                .setSource(ProviderEventSource.STATUS_QUERY)
                .setOccurredAt(occurredAt)
                .setReceivedAt(now)
                // Provisional: ingest-service judges the transition against the statuses it has written.
                .setTransition(StatusTransition.APPLIED)
                .setPreviousStatus(null)
                .build();
    }
}
