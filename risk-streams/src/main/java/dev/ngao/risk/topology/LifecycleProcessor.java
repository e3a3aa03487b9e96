package dev.ngao.risk.topology;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import dev.ngao.risk.internal.AccountCommand;
import dev.ngao.risk.internal.AccountCommandKind;
import dev.ngao.risk.internal.DecidedState;
import dev.ngao.risk.internal.DecidedTransaction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * What happens to a decided transaction's reservation afterwards, keyed by transaction id and off the
 * decision path: it reads the INITIAL decisions back from risk.decisions beside providers.events and
 * risk.reviews (all keyed by transaction id, co-partitioned). An approval is remembered for the replay
 * retention, so a provider's FAILED, EXPIRED or REVERSED (transition APPLIED) releases it, also when it is read
 * before the approval (it is remembered and releases the approval as it comes); a review enters
 * the review queue, and an analyst's resolution becomes one REVIEW_RESOLUTION decision (APPROVE keeps the
 * reservation, DECLINE releases it). Releases go to the account's decision task as commands. Declines
 * reserved nothing, so they need nothing here.
 */
final class LifecycleProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleProcessor.class);

    private final TopologyOptions options;

    private ProcessorContext<String, SpecificRecord> context;
    private WindowStore<String, DecidedTransaction> decided;
    private KeyValueStore<String, RiskDecision> reviewQueue;

    LifecycleProcessor(TopologyOptions options) {
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.decided = context.getStateStore(RiskTopology.DECIDED_TRANSACTIONS_STORE);
        this.reviewQueue = context.getStateStore(RiskTopology.REVIEW_QUEUE_STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof RiskDecision decision) {
            onDecision(decision, record);
        } else if (record.value() instanceof ProviderEvent event) {
            onProviderEvent(event, record);
        } else if (record.value() instanceof ReviewResolution resolution) {
            onResolution(resolution, record);
        }
    }

    private void onDecision(RiskDecision decision, Record<String, SpecificRecord> record) {
        if (decision.getKind() != DecisionKind.INITIAL || decision.getType() == PaymentType.REFUND) {
            return;
        }
        if (decision.getOutcome() == Outcome.APPROVE) {
            DecidedTransaction early = find(decision.getTransactionId());
            if (early != null && early.getState() == DecidedState.ENDED_BEFORE_DECISION) {
                // The provider's failure was read first (the task merges its inputs by timestamp only as far as
                // they are fetched): the approval is released at once.
                release(decision.getAccountId(), decision.getTransactionId(),
                        ReleaseReason.valueOf(early.getReleaseReason()), record);
                remember(decision.getTransactionId(), decision.getAccountId(), DecidedState.RELEASED);
            } else {
                remember(decision.getTransactionId(), decision.getAccountId(), DecidedState.APPROVED);
            }
        } else if (decision.getOutcome() == Outcome.REVIEW) {
            reviewQueue.put(decision.getTransactionId(), decision);
        }
    }

    private void remember(String transactionId, String accountId, DecidedState state) {
        long nowMs = context.currentSystemTimeMs();
        decided.put(transactionId, new DecidedTransaction(transactionId, accountId, state, nowMs, null), nowMs);
    }

    private DecidedTransaction find(String transactionId) {
        long nowMs = context.currentSystemTimeMs();
        DecidedTransaction latest = null;
        try (WindowStoreIterator<DecidedTransaction> found = decided.fetch(transactionId,
                Instant.ofEpochMilli(nowMs - options.replayRetention().toMillis()), Instant.ofEpochMilli(nowMs))) {
            while (found.hasNext()) {
                latest = found.next().value;
            }
        }
        return latest;
    }

    private void onProviderEvent(ProviderEvent event, Record<String, SpecificRecord> record) {
        if (event.getTransition() != StatusTransition.APPLIED) {
            return;
        }
        ReleaseReason reason = switch (event.getStatus()) {
            case FAILED -> ReleaseReason.PROVIDER_FAILED;
            case EXPIRED -> ReleaseReason.PROVIDER_EXPIRED;
            case REVERSED -> ReleaseReason.PROVIDER_REVERSED;
            default -> null;
        };
        if (reason == null) {
            return;
        }
        DecidedTransaction done = find(event.getTransactionId());
        if (done == null) {
            // Its decision may still be on its way: remembered, so the approval is released when it is read.
            long nowMs = context.currentSystemTimeMs();
            decided.put(event.getTransactionId(), new DecidedTransaction(event.getTransactionId(), "",
                    DecidedState.ENDED_BEFORE_DECISION, nowMs, reason.name()), nowMs);
            return;
        }
        if (done.getState() != DecidedState.APPROVED) {
            LOG.debug("Provider {} of {} releases nothing: {}", event.getStatus(), event.getTransactionId(),
                    done.getState());
            return;
        }
        release(done.getAccountId(), done.getTransactionId(), reason, record);
        decided.put(done.getTransactionId(), new DecidedTransaction(done.getTransactionId(), done.getAccountId(),
                DecidedState.RELEASED, done.getDecidedAtMs(), null), done.getDecidedAtMs());
    }

    private void onResolution(ReviewResolution resolution, Record<String, SpecificRecord> record) {
        String transactionId = resolution.getTransactionId();
        RiskDecision initial = reviewQueue.get(transactionId);
        if (initial == null) {
            LOG.warn("Resolution {} of {} ignored: the transaction is not in review", resolution.getResolutionId(),
                    transactionId);
            return;
        }
        if (resolution.getOutcome() == Outcome.REVIEW) {
            LOG.warn("Resolution {} of {} ignored: a resolution approves or declines", resolution.getResolutionId(),
                    transactionId);
            return;
        }
        if (resolution.getOutcome() == Outcome.DECLINE) {
            release(initial.getAccountId(), transactionId, ReleaseReason.REVIEW_DECLINED, record);
        } else {
            remember(transactionId, initial.getAccountId(), DecidedState.APPROVED);
        }
        reviewQueue.delete(transactionId);
        RiskDecision decision = Decisions.reviewResolution(initial, resolution,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        DecisionMetrics.decided(decision);
        context.forward(record.withKey(transactionId).withValue(decision));
    }

    private void release(String accountId, String transactionId, ReleaseReason reason,
                         Record<String, SpecificRecord> cause) {
        context.forward(new Record<>(accountId, AccountCommand.newBuilder()
                .setKind(AccountCommandKind.RELEASE)
                .setTransactionId(transactionId)
                .setReason(reason.name())
                .build(), cause.timestamp(), new RecordHeaders(cause.headers().toArray())));
    }
}
