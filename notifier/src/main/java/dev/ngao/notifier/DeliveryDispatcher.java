package dev.ngao.notifier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Sends due deliveries and records each attempt. One thread owns the schedule: it picks due deliveries
 * from the store (at most {@code maxInFlight} under way), signs and posts them, and writes each outcome
 * (synced) with the next attempt or the final status. A delivery under way when the process stops is due
 * again after a restart, so a merchant may see a message twice, with the same webhook-id to recognise it:
 * at-least-once, as Standard Webhooks expects of receivers.
 */
final class DeliveryDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);
    /** Most characters of a transport error kept in the log entry. */
    private static final int MAX_ERROR_LENGTH = 200;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    private static final int PURGE_MAX_ENTRIES = 10_000;

    private final NotifierStore store;
    private final Map<String, MerchantEndpoint> merchants;
    private final WebhookTransport transport;
    private final RetrySchedule schedule;
    private final Duration timeout;
    private final int maxInFlight;
    private final Duration interval;
    private final Duration factsRetention;
    private final Clock clock;
    private final RandomGenerator random;
    private final NotifierMetrics metrics;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "notifier-dispatcher");
        thread.setDaemon(true);
        return thread;
    });
    /** Touched by the dispatcher thread only. */
    private final Set<String> inFlight = new HashSet<>();
    private volatile int inFlightCount;

    DeliveryDispatcher(NotifierStore store, Map<String, MerchantEndpoint> merchants, WebhookTransport transport,
                       RetrySchedule schedule, Duration timeout, int maxInFlight, Duration interval,
                       Duration factsRetention, Clock clock, RandomGenerator random, NotifierMetrics metrics) {
        this.store = store;
        this.merchants = merchants;
        this.transport = transport;
        this.schedule = schedule;
        this.timeout = timeout;
        this.maxInFlight = maxInFlight;
        this.interval = interval;
        this.factsRetention = factsRetention;
        this.clock = clock;
        this.random = random;
        this.metrics = metrics;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::dispatchDueSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::purgeSafely, PURGE_INTERVAL.toMillis(), PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    int inFlight() {
        return inFlightCount;
    }

    /**
     * Runs one pass on the dispatcher thread now and waits for it, and for the outcomes of attempts that
     * completed meanwhile (for tests and for tools; the schedule runs passes by itself).
     */
    void dispatchNow() throws Exception {
        executor.submit(this::dispatchDue).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        executor.submit(() -> { }).get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void dispatchDueSafely() {
        try {
            dispatchDue();
        } catch (RuntimeException e) {
            // The next pass retries; a store that stays broken shows in every pass's log line.
            LOG.error("Dispatch pass failed: {}", e.toString());
        }
    }

    /** One pass: every due delivery, as far as the in-flight limit allows. */
    void dispatchDue() {
        int room = maxInFlight - inFlight.size();
        if (room <= 0) {
            return;
        }
        List<String> due = store.due(clock.instant(), room, inFlight::contains);
        for (String webhookId : due) {
            store.delivery(webhookId).filter(delivery -> delivery.status() == DeliveryStatus.PENDING)
                    .ifPresent(this::attempt);
        }
    }

    private void attempt(Delivery delivery) {
        Instant startedAt = clock.instant();
        MerchantEndpoint endpoint = merchants.get(delivery.merchantId());
        if (endpoint == null) {
            // Configured when scheduled, removed since: retried on the same schedule in case it comes back.
            finish(delivery, new DeliveryAttempt(startedAt, 0, null, "no endpoint configured for the merchant"));
            return;
        }
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        long timestampSeconds = startedAt.getEpochSecond();
        Map<String, String> headers = Map.of(
                WebhookSigner.ID_HEADER, delivery.webhookId(),
                WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestampSeconds),
                WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(endpoint.secrets(), delivery.webhookId(),
                        timestampSeconds, body));
        inFlight.add(delivery.webhookId());
        inFlightCount = inFlight.size();
        long startNanos = System.nanoTime();
        transport.post(endpoint.url(), headers, body, timeout).onComplete(result -> {
            long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            DeliveryAttempt attempt = result.succeeded()
                    ? new DeliveryAttempt(startedAt, durationMs, result.result(), null)
                    : new DeliveryAttempt(startedAt, durationMs, null, describe(result.cause()));
            executeOrDrop(() -> {
                inFlight.remove(delivery.webhookId());
                inFlightCount = inFlight.size();
                finish(delivery, attempt);
            });
        });
    }

    /** After close the outcome is not written: the delivery stays due and is attempted again after a restart. */
    private void executeOrDrop(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Outcome of an attempt arrived after stop; the delivery stays due");
        }
    }

    private void finish(Delivery delivery, DeliveryAttempt attempt) {
        Instant now = clock.instant();
        Instant next = null;
        if (!attempt.acknowledged()) {
            int failedAttempts = delivery.attempts().size() + 1;
            Optional<Instant> retry = schedule.nextAttempt(failedAttempts, delivery.firstAttemptAt(attempt.attemptedAt()),
                    now, random);
            next = retry.orElse(null);
        }
        Delivery updated = delivery.after(attempt, next);
        store.putDelivery(delivery, updated, true);
        metrics.attempted(attempt.acknowledged());
        switch (updated.status()) {
            case ACKNOWLEDGED -> {
                metrics.finished(DeliveryStatus.ACKNOWLEDGED);
                LOG.info("Delivery {} of {} acknowledged by merchant {} after {} attempt(s)", updated.webhookId(),
                        updated.transactionId(), updated.merchantId(), updated.attempts().size());
            }
            case GAVE_UP -> {
                metrics.finished(DeliveryStatus.GAVE_UP);
                LOG.warn("Delivery {} of {} to merchant {} given up after {} attempt(s)", updated.webhookId(),
                        updated.transactionId(), updated.merchantId(), updated.attempts().size());
            }
            default -> LOG.debug("Delivery {} attempt failed ({}), next at {}", updated.webhookId(),
                    attempt.httpStatus() != null ? "HTTP " + attempt.httpStatus() : attempt.error(),
                    updated.nextAttemptAt());
        }
    }

    private static String describe(Throwable cause) {
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }

    private void purgeSafely() {
        try {
            int purged = store.purgeFacts(clock.instant().minus(factsRetention), PURGE_MAX_ENTRIES);
            if (purged > 0) {
                LOG.info("Purged the facts of {} payment request(s) older than {} days", purged,
                        factsRetention.toDays());
            }
        } catch (RuntimeException e) {
            LOG.error("Purge of old payment request facts failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
