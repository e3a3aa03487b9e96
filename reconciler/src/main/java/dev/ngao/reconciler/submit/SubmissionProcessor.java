package dev.ngao.reconciler.submit;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.http.ProviderCallException;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * Hands each approved payment to its provider, once. Requests (re-keyed by transaction id: ingest keys them by
 * account), decisions and ledger entries of a transaction meet here: the request waits in {@code submit-requests}
 * until its go-ahead; an {@code APPROVE} (initial, or the resolution of a review) submits a collection or a
 * CIP through the provider's adapter, the ledger's hold entry ({@code payout.approved}) a payout, so a payout
 * the ledger refused for want of funds is never sent; a {@code DECLINE} forgets it. The provider's answer (its reference and first status)
 * goes to {@code providers.status-queries}, which ingest-service judges and writes to {@code providers.events}
 * like any status, so the ledger view learns the reference the chaser queries with.
 *
 * <p>Submission is idempotent at the provider: the adapter sends the transaction id as the idempotency key, so
 * the one repeat exactly-once processing can make (a crash between the call and the commit) is answered with
 * the same payment. A retryable failure (timeout, 5xx, 429, open circuit) is tried again with backoff from a
 * wall-clock punctuation; a refusal (another 4xx) is the provider's word that it did not take the payment and
 * becomes a {@code FAILED} status, so the reservation and any hold are released. After the last attempt, or
 * when the answer cannot be read, nothing is guessed: the payment stays approved without a provider status and
 * the stuck-payment chaser queries it until it is resolved or flagged for manual review.
 */
final class SubmissionProcessor implements Processor<String, SpecificRecord, String, ProviderEvent> {

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
    private final Map<String, ProviderAdapter> adapters;
    private final RandomGenerator random;
    private ProcessorContext<String, ProviderEvent> context;
    private KeyValueStore<String, PaymentRequest> requests;
    private KeyValueStore<String, String> states;
    private KeyValueStore<String, Long> retries;

    SubmissionProcessor(SubmissionPolicy policy, Map<String, ProviderAdapter> adapters, RandomGenerator random) {
        this.policy = policy;
        this.adapters = Map.copyOf(adapters);
        this.random = random;
    }

    @Override
    public void init(ProcessorContext<String, ProviderEvent> context) {
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
        if (decision.getKind() != DecisionKind.INITIAL && decision.getKind() != DecisionKind.REVIEW_RESOLUTION) {
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
                // REVIEW: the request waits for the analyst's resolution.
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

    /** One submission; {@code previousAttempts} failed before it. */
    private void attempt(String transactionId, PaymentRequest request, int previousAttempts) {
        int attempts = previousAttempts + 1;
        long nowMs = context.currentSystemTimeMs();
        ProviderAdapter adapter = adapters.get(request.getProvider());
        if (adapter == null) {
            LOG.warn("No adapter for provider {}: payment {} is not submitted", request.getProvider(), transactionId);
            finish(transactionId, attempts, nowMs);
            return;
        }
        try {
            ProviderStatusResult answer = adapter.submit(request).toCompletableFuture()
                    .get(policy.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            forward(transactionId, event(request, answer.status(), answer.providerReference(), answer, nowMs));
            LOG.info("Payment {} submitted to {}: {}", transactionId, request.getProvider(), answer.status());
            finish(transactionId, attempts, nowMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryLater(transactionId, attempts, nowMs, "interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ProviderCallException call && !call.retryable() && call.httpStatus() >= 400) {
                // The provider answered that it will not take the payment: a failure, in its own words.
                LOG.warn("Payment {} refused by {} (HTTP {}): failed", transactionId, request.getProvider(),
                        call.httpStatus());
                forward(transactionId, event(request, ProviderStatus.FAILED, null, null, nowMs));
                finish(transactionId, attempts, nowMs);
            } else if (cause instanceof ProviderCallException call && !call.retryable()
                    || cause instanceof IllegalArgumentException) {
                LOG.error("Payment {} at {}: {}; left to the stuck-payment chaser", transactionId,
                        request.getProvider(), cause.getMessage());
                finish(transactionId, attempts, nowMs);
            } else {
                retryLater(transactionId, attempts, nowMs, cause.getClass().getSimpleName());
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
                               ProviderStatusResult answer, long nowMs) {
        Instant now = Instant.ofEpochMilli(nowMs).truncatedTo(ChronoUnit.MILLIS);
        Instant occurredAt = answer != null && answer.occurredAt() != null
                ? answer.occurredAt().truncatedTo(ChronoUnit.MILLIS) : now;
        return ProviderEvent.newBuilder()
                .setEventId("sub:" + request.getProvider() + ":" + request.getTransactionId() + ":" + status.name())
                .setProvider(request.getProvider())
                .setProviderEventId("submission:" + request.getTransactionId() + ":" + status.name())
                .setTransactionId(request.getTransactionId())
                .setProviderReference(reference)
                .setStatus(status)
                .setAmount(answer != null && answer.amount() != null ? answer.amount() : request.getAmount())
                .setFee(answer == null ? null : answer.fee())
                .setSource(ProviderEventSource.STATUS_QUERY)
                .setOccurredAt(occurredAt)
                .setReceivedAt(now)
                // Provisional: ingest-service judges the transition against the statuses it has written.
                .setTransition(StatusTransition.APPLIED)
                .setPreviousStatus(null)
                .build();
    }
}
