package dev.ngao.reconciler.submit;

import dev.ngao.events.ProviderCallOutcome;
import dev.ngao.events.ProviderCallPurpose;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.http.ProviderCallException;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outbox's dispatcher: the only place the submission path calls a provider. It reads
 * {@code providers.submissions} with a plain {@code read_committed} consumer (an intent exists only once the
 * stream processor's transaction that decided it committed), makes each intent's call through the provider's
 * adapter with an idempotency key derived from the intent ({@link #idempotencyKey}), writes what the call came
 * to on {@code providers.submission-results} and waits for Kafka's acknowledgement, and only then commits its
 * offsets. A dispatcher that stops between a call and that commit (a crash, a rebalance) leaves the intent to be
 * read again, and the repeated call carries the same key: the provider answers with the first payment instead
 * of taking a second. So a payment is submitted at most once at the provider, and its result is recorded at
 * least once; the processor takes the first result of an attempt and ignores repeats.
 *
 * <p>The calls of one poll run concurrently (the adapters are asynchronous), each bounded by the call timeout,
 * so a poll's work takes about one call timeout at most, well within the consumer's poll interval.
 *
 * <p>Results Kafka does not acknowledge ({@link SubmissionResultsNotAcknowledged}: a broker away for longer than
 * the producer waits) do not stop the dispatcher: the poll is read again after {@link #RESULTS_RETRY_BACKOFF} and
 * dispatched again, with the same keys, until its results are recorded. Before, a broker restart of more than a
 * minute ended the dispatcher for good, and every approval after it went unsubmitted (the fault suite's
 * {@code broker} run: 9,407 of them). Any other failure still stops it.
 */
public final class SubmissionDispatcher implements Runnable {

    /** Intents per poll at most: the calls of a poll are in flight together. */
    public static final int MAX_INTENTS_PER_POLL = 100;
    /** The wait before a poll whose results Kafka did not acknowledge is dispatched again. */
    public static final Duration RESULTS_RETRY_BACKOFF = Duration.ofSeconds(1);
    /** The longest wait of one poll; stopping wakes a poll up at once. */
    public static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(SubmissionDispatcher.class);
    private static final String KEY_NAMESPACE = "ngao/provider-call/";
    private static final int MAX_FAILURE_TEXT = 200;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<String, SubmissionIntent> consumer;
    private final Map<String, ProviderAdapter> adapters;
    private final SubmissionResultSink results;
    private final Duration callTimeout;
    private final Clock clock;
    private final ConsumerLoop loop;

    /**
     * @param consumer a read_committed consumer with manual commits, not yet subscribed
     * @param adapters by provider id ({@code ProviderKind.id()})
     * @param results  where results go; returns once Kafka acknowledged them
     */
    public SubmissionDispatcher(Consumer<String, SubmissionIntent> consumer, Map<String, ProviderAdapter> adapters,
                                SubmissionResultSink results, Duration callTimeout, Duration pollTimeout, Clock clock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.adapters = Map.copyOf(adapters);
        this.results = Objects.requireNonNull(results, "results");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Committed only once the results are acknowledged: what was not is dispatched again, with the same key.
        // An undecodable intent stops the dispatcher: skipping it could leave a payment never submitted.
        this.loop = ConsumerLoop.builder("submission-dispatcher")
                .pollTimeout(pollTimeout)
                .beforeFirstPoll(() -> consumer.subscribe(List.of(Topics.PROVIDER_SUBMISSIONS.name())))
                .source(consumer, this::dispatchAndRecord, ConsumerLoop.Commit.AFTER_HANDLE,
                        ConsumerLoop.Undecodable.STOP)
                .retryAfter(RESULTS_RETRY_BACKOFF, SubmissionResultsNotAcknowledged.class)
                .closeConsumers(CLOSE_TIMEOUT)
                .build();
    }

    /**
     * The provider's {@code Idempotency-Key} of a call: a name-based UUID of the call's purpose and transaction id.
     * Deterministic, so every attempt of one purpose, and every repeat after a crash, carries the same key; never
     * random. A UUID rather than the transaction id itself: fixed length, safe in any header whatever characters
     * an upstream transaction id has, and accepted by providers that want their keys to be UUIDs.
     */
    public static String idempotencyKey(ProviderCallPurpose purpose, String transactionId) {
        Objects.requireNonNull(purpose, "purpose");
        if (transactionId == null || transactionId.isEmpty()) {
            throw new IllegalArgumentException("a transaction id is required");
        }
        if (purpose == ProviderCallPurpose.UNKNOWN) {
            throw new IllegalArgumentException("a call of unknown purpose has no idempotency key");
        }
        String name = KEY_NAMESPACE + purpose.name() + "/" + transactionId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Polls and dispatches until {@link #stop()}; results not acknowledged are dispatched again after a back-off,
     * any other failure ends it without committing.
     */
    @Override
    public void run() {
        loop.run();
    }

    /** One poll: its intents' calls, their results recorded, then their offsets committed. */
    void pollOnce() {
        loop.pollOnce();
    }

    /** Stops the loop from another thread; a poll under way ends at once, a batch under way is finished first. */
    public void stop() {
        loop.stop();
    }

    private void dispatchAndRecord(ConsumerRecords<String, SubmissionIntent> records) {
        results.publish(dispatch(records));
    }

    private List<SubmissionResult> dispatch(ConsumerRecords<String, SubmissionIntent> records) {
        List<SubmissionIntent> intents = new ArrayList<>(records.count());
        List<CompletableFuture<ProviderStatusResult>> calls = new ArrayList<>(records.count());
        for (ConsumerRecord<String, SubmissionIntent> record : records) {
            if (record.value() == null) {
                continue;
            }
            intents.add(record.value());
            calls.add(call(record.value()));
        }
        long deadlineNanos = System.nanoTime() + callTimeout.toNanos();
        List<SubmissionResult> recorded = new ArrayList<>(intents.size());
        for (int index = 0; index < intents.size(); index++) {
            recorded.add(await(intents.get(index), calls.get(index), deadlineNanos));
        }
        return recorded;
    }

    private CompletableFuture<ProviderStatusResult> call(SubmissionIntent intent) {
        ProviderAdapter adapter = adapters.get(intent.getProvider());
        if (adapter == null) {
            return CompletableFuture.failedFuture(new NoAdapterException());
        }
        try {
            String key = idempotencyKey(intent.getPurpose(), intent.getTransactionId());
            return switch (intent.getPurpose()) {
                case SUBMIT -> adapter.submit(intent.getRequest(), key).toCompletableFuture();
                case UNKNOWN -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown purpose"));
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private SubmissionResult await(SubmissionIntent intent, CompletableFuture<ProviderStatusResult> call,
                                   long deadlineNanos) {
        try {
            long leftNanos = Math.max(0, deadlineNanos - System.nanoTime());
            ProviderStatusResult answer = call.get(leftNanos, TimeUnit.NANOSECONDS);
            LOG.debug("Payment {} submitted to {} (attempt {}): {}", intent.getTransactionId(), intent.getProvider(),
                    intent.getAttempt(), answer.status());
            return answered(intent, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new IllegalStateException("interrupted while calling providers", e);
        } catch (TimeoutException e) {
            call.cancel(true);
            return failed(intent, ProviderCallOutcome.RETRYABLE_FAILURE, 0, "TimeoutException");
        } catch (ExecutionException e) {
            return classify(intent, e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * A failed call, judged: a 4xx other than 408/429 is the provider's refusal; a retryable failure (timeout,
     * connect error, 5xx, 408, 429, open circuit) is worth another attempt; anything else is left unread.
     */
    SubmissionResult classify(SubmissionIntent intent, Throwable cause) {
        if (cause instanceof NoAdapterException) {
            LOG.warn("No adapter for provider {}: payment {} is not submitted", intent.getProvider(),
                    intent.getTransactionId());
            return failed(intent, ProviderCallOutcome.NO_ADAPTER, 0, "no adapter");
        }
        if (cause instanceof ProviderCallException call) {
            if (!call.retryable() && call.httpStatus() >= 400) {
                LOG.warn("Payment {} refused by {} (HTTP {})", intent.getTransactionId(), intent.getProvider(),
                        call.httpStatus());
                return failed(intent, ProviderCallOutcome.REFUSED, call.httpStatus(), "HTTP " + call.httpStatus());
            }
            if (!call.retryable()) {
                LOG.error("Payment {} at {}: the answer could not be read", intent.getTransactionId(),
                        intent.getProvider());
                return failed(intent, ProviderCallOutcome.UNREADABLE, call.httpStatus(), "unreadable answer");
            }
            LOG.info("Submission {} of payment {} to {} failed ({})", intent.getAttempt(), intent.getTransactionId(),
                    intent.getProvider(), call.httpStatus() > 0 ? "HTTP " + call.httpStatus() : "transport");
            return failed(intent, ProviderCallOutcome.RETRYABLE_FAILURE, call.httpStatus(),
                    call.httpStatus() > 0 ? "HTTP " + call.httpStatus() : failureName(call.getCause()));
        }
        if (cause instanceof IllegalArgumentException) {
            LOG.error("Payment {} at {} cannot be submitted: {}", intent.getTransactionId(), intent.getProvider(),
                    cause.getClass().getSimpleName());
            return failed(intent, ProviderCallOutcome.UNREADABLE, 0, failureName(cause));
        }
        // An open circuit, a cancelled call, the unexpected: the provider may recover, so another attempt.
        return failed(intent, ProviderCallOutcome.RETRYABLE_FAILURE, 0, failureName(cause));
    }

    private SubmissionResult answered(SubmissionIntent intent, ProviderStatusResult answer) {
        return base(intent)
                .setOutcome(ProviderCallOutcome.ANSWERED)
                .setStatus(answer.status())
                .setProviderReference(answer.providerReference())
                .setAmount(answer.amount())
                .setFee(answer.fee())
                .setOccurredAt(answer.occurredAt() == null ? null : answer.occurredAt().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private SubmissionResult failed(SubmissionIntent intent, ProviderCallOutcome outcome, int httpStatus,
                                    String failure) {
        return base(intent).setOutcome(outcome).setHttpStatus(httpStatus).setFailure(failure).build();
    }

    private SubmissionResult.Builder base(SubmissionIntent intent) {
        String key = intent.getPurpose() == ProviderCallPurpose.UNKNOWN ? ""
                : idempotencyKey(intent.getPurpose(), intent.getTransactionId());
        return SubmissionResult.newBuilder()
                .setTransactionId(intent.getTransactionId())
                .setProvider(intent.getProvider())
                .setPurpose(intent.getPurpose())
                .setAttempt(intent.getAttempt())
                .setIdempotencyKey(key)
                .setStatus(null)
                .setProviderReference(null)
                .setAmount(null)
                .setFee(null)
                .setOccurredAt(null)
                .setHttpStatus(0)
                .setFailure(null)
                .setRecordedAt(Instant.ofEpochMilli(clock.millis()));
    }

    private static String failureName(Throwable cause) {
        String name = cause == null ? "unknown" : cause.getClass().getSimpleName();
        return name.length() > MAX_FAILURE_TEXT ? name.substring(0, MAX_FAILURE_TEXT) : name;
    }

    /** The dispatcher has no adapter of the intent's provider. */
    private static final class NoAdapterException extends RuntimeException {
        NoAdapterException() {
            super("no adapter", null, false, false);
        }
    }
}
