package dev.ngao.notifier;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the final statuses and the payment requests they belong to, and turns each new final status into a
 * scheduled delivery. payments.requests is keyed by account and the statuses by transaction, so the two
 * arrive in no fixed order: a status whose request is not yet known waits for it (WAITING_FOR_REQUEST), and
 * the request schedules it when it comes. A status whose webhook id is already in the store is a copy and is
 * dropped. Offsets are committed only after the store has synced what a poll called for, so a crash
 * re-reads, and de-duplication absorbs the re-reading.
 */
final class NotificationIntake implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);

    private final Consumer<String, PaymentRequest> requests;
    private final Consumer<String, RiskDecision> decisions;
    private final Consumer<String, ProviderEvent> providerEvents;
    private final NotifierStore store;
    private final Map<String, MerchantEndpoint> merchants;
    private final Duration pollTimeout;
    private final Clock clock;
    private final NotifierMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean alive = true;

    NotificationIntake(Consumer<String, PaymentRequest> requests, Consumer<String, RiskDecision> decisions,
                       Consumer<String, ProviderEvent> providerEvents, NotifierStore store,
                       Map<String, MerchantEndpoint> merchants, Duration pollTimeout, Clock clock,
                       NotifierMetrics metrics) {
        this.requests = requests;
        this.decisions = decisions;
        this.providerEvents = providerEvents;
        this.store = store;
        this.merchants = merchants;
        this.pollTimeout = pollTimeout;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            alive = false;
        }
    }

    /** Whether the intake thread still consumes. */
    boolean alive() {
        return alive;
    }

    void stop() {
        running.set(false);
        requests.wakeup();
        decisions.wakeup();
        providerEvents.wakeup();
    }

    /** One round: requests first (so statuses in the same round find them), then decisions, then provider events. */
    void pollOnce() {
        Duration each = pollTimeout.dividedBy(3);
        boolean requestsRead = consume(requests, each, this::onRequest);
        boolean decisionsRead = consume(decisions, each, decision -> onFinalStatus(FinalStatuses.of(decision)));
        boolean eventsRead = consume(providerEvents, each, event -> onFinalStatus(FinalStatuses.of(event)));
        if (requestsRead || decisionsRead || eventsRead) {
            store.sync();
            if (requestsRead) {
                requests.commitSync();
            }
            if (decisionsRead) {
                decisions.commitSync();
            }
            if (eventsRead) {
                providerEvents.commitSync();
            }
        }
    }

    private <V> boolean consume(Consumer<String, V> consumer, Duration timeout, java.util.function.Consumer<V> handle) {
        ConsumerRecords<String, V> records;
        try {
            records = consumer.poll(timeout);
        } catch (RecordDeserializationException e) {
            // An undecodable record holds no status we could send: skipped, named, and the rest goes on.
            LOG.error("Skipping undecodable record at {} offset {}: {}", e.topicPartition(), e.offset(),
                    e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return true;
        }
        for (ConsumerRecord<String, V> record : records) {
            if (record.value() != null) {
                handle.accept(record.value());
            }
        }
        return !records.isEmpty();
    }

    private void onRequest(PaymentRequest request) {
        Instant now = clock.instant();
        TransactionFacts facts = TransactionFacts.of(request, now);
        store.putFacts(facts);
        for (Delivery waiting : store.waitingFor(facts.transactionId())) {
            schedule(waiting, waiting.scheduled(facts, merchants.containsKey(facts.merchantId()), now));
        }
    }

    private void onFinalStatus(Optional<FinalStatusEvent> status) {
        if (status.isEmpty()) {
            return;
        }
        FinalStatusEvent event = status.get();
        if (store.exists(event.webhookId())) {
            metrics.duplicate();
            LOG.debug("Final status {} of {} already recorded as {}", event.status(), event.transactionId(),
                    event.webhookId());
            return;
        }
        Instant now = clock.instant();
        Delivery waiting = Delivery.waiting(event, now);
        Optional<TransactionFacts> facts = store.facts(event.transactionId());
        if (facts.isEmpty()) {
            store.putDelivery(null, waiting, false);
            LOG.debug("Final status {} of {} waits for its payment request", event.status(), event.transactionId());
            return;
        }
        TransactionFacts known = facts.get();
        store.putDelivery(null, waiting.scheduled(known, merchants.containsKey(known.merchantId()), now), false);
        countNoEndpoint(known.merchantId());
    }

    private void schedule(Delivery waiting, Delivery scheduled) {
        store.putDelivery(waiting, scheduled, false);
        countNoEndpoint(scheduled.merchantId());
    }

    private void countNoEndpoint(String merchantId) {
        if (!merchants.containsKey(merchantId)) {
            metrics.finished(DeliveryStatus.NO_ENDPOINT);
        }
    }
}
