package dev.ngao.notifier;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.ConsumerLoop.Commit;
import dev.ngao.platform.kafka.ConsumerLoop.Undecodable;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the final statuses and the payment requests they belong to, and turns each new final status into a
 * scheduled delivery. payments.requests is keyed by account and the statuses by transaction, so the two
 * arrive in no fixed order: a status whose request is not yet known waits for it (WAITING_FOR_REQUEST), and
 * the request schedules it when it comes. A status whose webhook id is already in the store is a copy and is
 * dropped. Offsets are committed only after the store has synced what a poll called for, so a crash
 * re-reads, and de-duplication absorbs the re-reading. The consumers belong to the loop's thread; the
 * service closes them there once the loop ended.
 */
final class NotificationIntake implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationIntake.class);

    private final NotifierStore store;
    private final Map<String, MerchantEndpoint> merchants;
    private final Clock clock;
    private final NotifierMetrics metrics;
    private final ConsumerLoop loop;

    NotificationIntake(Consumer<String, PaymentRequest> requests, Consumer<String, RiskDecision> decisions,
                       Consumer<String, ProviderEvent> providerEvents, NotifierStore store,
                       Map<String, MerchantEndpoint> merchants, Duration pollTimeout, Clock clock,
                       NotifierMetrics metrics) {
        this.store = store;
        this.merchants = merchants;
        this.clock = clock;
        this.metrics = metrics;
        // An undecodable record holds no status we could send: skipped, named, and the rest goes on.
        this.loop = ConsumerLoop.builder("notifier-intake")
                .pollTimeout(pollTimeout)
                .source(requests, thenSync(this::onRequest), Commit.AFTER_HANDLE, Undecodable.SKIP)
                .source(decisions, thenSync(decision -> onFinalStatus(FinalStatuses.of(decision))),
                        Commit.AFTER_HANDLE, Undecodable.SKIP)
                .source(providerEvents, thenSync(event -> onFinalStatus(FinalStatuses.of(event))),
                        Commit.AFTER_HANDLE, Undecodable.SKIP)
                .build();
    }

    /** Consumes until {@link #stop()}; a failure ends it and is rethrown. */
    @Override
    public void run() {
        loop.run();
    }

    /** Whether the intake thread still consumes. */
    boolean alive() {
        return loop.alive();
    }

    void stop() {
        loop.stop();
    }

    /** One round: requests first (so statuses in the same round find them), then decisions, then provider events. */
    void pollOnce() {
        loop.pollOnce();
    }

    /** A batch handler applying each value, then syncing the store, so the loop commits only what is durable. */
    private <V> ConsumerLoop.BatchHandler<String, V> thenSync(java.util.function.Consumer<V> apply) {
        ConsumerLoop.BatchHandler<String, V> each = ConsumerLoop.eachValue(apply);
        return records -> {
            each.handle(records);
            store.sync();
        };
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
