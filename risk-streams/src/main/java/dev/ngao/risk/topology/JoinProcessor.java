package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.StatusTransition;
import dev.ngao.risk.internal.CommandKind;
import dev.ngao.risk.internal.DecidedState;
import dev.ngao.risk.internal.DecidedTransaction;
import dev.ngao.risk.internal.JoinState;
import dev.ngao.risk.internal.StageCommand;
import dev.ngao.risk.internal.StageHit;
import dev.ngao.risk.internal.StageVerdict;
import dev.ngao.rules.Resolution;
import dev.ngao.rules.RuleHit;
import dev.ngao.rules.ScoreThresholds;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The join stage, keyed by transaction id: waits for the account verdict and every expected dimension
 * verdict, resolves them into exactly one INITIAL decision, and owns what happens to the reservations after:
 * DECLINE releases every holder; REVIEW enters the review queue; a provider's FAILED, EXPIRED or REVERSED
 * (transition APPLIED) releases an approval; an analyst's resolution of a transaction in review becomes one
 * REVIEW_RESOLUTION decision (APPROVE keeps the reservation, DECLINE releases it). A verdict missing after
 * the stage timeout (wall clock) is decided without it, with a {@value #STAGE_TIMEOUT_RULE_ID} reason.
 */
final class JoinProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    /** Rule id of the reason a decision made without every verdict carries. */
    static final String STAGE_TIMEOUT_RULE_ID = "stage-timeout";

    private static final Logger LOG = LoggerFactory.getLogger(JoinProcessor.class);
    private static final InternalSerde<PaymentRequest> REQUESTS = InternalSerde.of(PaymentRequest.class);

    private final TopologyOptions options;

    private ProcessorContext<String, SpecificRecord> context;
    private Headers inputHeaders;
    private KeyValueStore<String, JoinState> pending;
    private KeyValueStore<String, DecidedTransaction> decided;
    private KeyValueStore<String, RiskDecision> reviewQueue;

    JoinProcessor(TopologyOptions options) {
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.pending = context.getStateStore(RiskTopology.PENDING_VERDICTS_STORE);
        this.decided = context.getStateStore(RiskTopology.DECIDED_TRANSACTIONS_STORE);
        this.reviewQueue = context.getStateStore(RiskTopology.REVIEW_QUEUE_STORE);
        context.schedule(options.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::timeOut);
        context.schedule(options.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        // What this record makes (a decision, releases) carries its headers: the request's trace, which the
        // stages kept on their verdicts, or the analyst's for a resolution.
        inputHeaders = record.headers();
        try {
            if (value instanceof StageVerdict verdict) {
                onVerdict(verdict, record.timestamp());
            } else if (value instanceof ProviderEvent event) {
                onProviderEvent(event, record.timestamp());
            } else if (value instanceof ReviewResolution resolution) {
                onResolution(resolution, record.timestamp());
            }
        } finally {
            inputHeaders = null;
        }
    }

    /**
     * Forwards with the headers of the record being processed; from a punctuation (a stage timeout) there is
     * none, so a decision made without a verdict has no trace header.
     */
    private void forward(String key, SpecificRecord value, long timestamp) {
        context.forward(new Record<>(key, value, timestamp,
                inputHeaders == null ? new RecordHeaders() : new RecordHeaders(inputHeaders.toArray())));
    }

    private void onVerdict(StageVerdict verdict, long timestamp) {
        String transactionId = verdict.getTransactionId();
        DecidedTransaction done = decided.get(transactionId);
        if (done != null) {
            lateVerdict(done, verdict, timestamp);
            return;
        }
        JoinState state = pending.get(transactionId);
        if (state == null) {
            state = JoinState.newBuilder().setTransactionId(transactionId)
                    .setFirstSeenMs(context.currentSystemTimeMs()).build();
        }
        if (verdict.getDimension().equals(dev.ngao.rules.Dimension.ACCOUNT.name())) {
            state.setAccount(verdict);
        } else if (state.getDimensions().stream().noneMatch(seen -> seen.getHolderKey().equals(verdict.getHolderKey()))) {
            List<StageVerdict> dimensions = new ArrayList<>(state.getDimensions());
            dimensions.add(verdict);
            state.setDimensions(dimensions);
        }
        if (missingHolders(state).isEmpty()) {
            decide(state, List.of(), timestamp);
        } else {
            pending.put(transactionId, state);
        }
    }

    /** A verdict after the decision (the stage timed out): its reservation follows the decision. */
    private void lateVerdict(DecidedTransaction done, StageVerdict verdict, long timestamp) {
        if (!verdict.getReserved()) {
            return;
        }
        if (done.getState() == DecidedState.DECLINED || done.getState() == DecidedState.RELEASED) {
            release(List.of(verdict.getHolderKey()), done.getTransactionId(), ReleaseReason.DECLINED, timestamp);
        } else if (!done.getHolders().contains(verdict.getHolderKey())) {
            List<String> holders = new ArrayList<>(done.getHolders());
            holders.add(verdict.getHolderKey());
            done.setHolders(holders);
            decided.put(done.getTransactionId(), done);
        }
    }

    private static List<String> missingHolders(JoinState state) {
        if (state.getAccount() == null) {
            return List.of("account");
        }
        Set<String> arrived = new HashSet<>();
        state.getDimensions().forEach(verdict -> arrived.add(verdict.getHolderKey()));
        return state.getAccount().getExpectedHolders().stream().filter(holder -> !arrived.contains(holder)).toList();
    }

    private void decide(JoinState state, List<String> missing, long timestamp) {
        StageVerdict account = state.getAccount();
        PaymentRequest request = REQUESTS.decode(CardFold.bytes(account.getRequest()));
        List<RuleHit> hits = new ArrayList<>();
        List<String> holders = new ArrayList<>();
        collect(account, hits, holders);
        state.getDimensions().forEach(verdict -> collect(verdict, hits, holders));
        if (!missing.isEmpty()) {
            hits.add(new RuleHit(STAGE_TIMEOUT_RULE_ID, account.getRuleSetVersion(),
                    options.stageTimeoutOutcome() == Outcome.DECLINE ? RuleAction.BLOCK : RuleAction.REVIEW,
                    RuleMode.ENFORCE, null, 0, missing.size() + " stage verdict(s) missing after "
                    + options.stageTimeout().toMillis() + " ms"));
        }
        Optional<ScoreThresholds> thresholds = account.getReviewAt() == null ? Optional.empty()
                : Optional.of(new ScoreThresholds(account.getReviewAt(), account.getBlockAt()));
        Resolution.Resolved resolved = Resolution.resolve(hits, thresholds);
        long nowMs = context.currentSystemTimeMs();
        RiskDecision decision = Decisions.initial(request, resolved, account.getRuleSetOwner(), Instant.ofEpochMilli(nowMs));
        DecidedState decidedState = switch (resolved.outcome()) {
            case APPROVE -> DecidedState.APPROVED;
            case REVIEW -> DecidedState.IN_REVIEW;
            case DECLINE -> DecidedState.DECLINED;
        };
        if (decidedState == DecidedState.DECLINED) {
            release(holders, request.getTransactionId(), ReleaseReason.DECLINED, timestamp);
        } else if (decidedState == DecidedState.IN_REVIEW) {
            reviewQueue.put(request.getTransactionId(), decision);
        }
        decided.put(request.getTransactionId(), DecidedTransaction.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setAccountId(request.getAccountId())
                .setState(decidedState)
                .setHolders(decidedState == DecidedState.DECLINED ? List.of() : holders)
                .setDecidedAtMs(nowMs)
                .build());
        pending.delete(request.getTransactionId());
        DecisionMetrics.decided(decision);
        forward(request.getTransactionId(), decision, timestamp);
    }

    private static void collect(StageVerdict verdict, List<RuleHit> hits, List<String> holders) {
        for (StageHit hit : verdict.getHits()) {
            hits.add(Hits.fromStage(hit));
        }
        if (verdict.getReserved()) {
            holders.add(verdict.getHolderKey());
        }
    }

    private void onProviderEvent(ProviderEvent event, long timestamp) {
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
        DecidedTransaction done = decided.get(event.getTransactionId());
        if (done == null || done.getState() != DecidedState.APPROVED) {
            LOG.debug("Provider {} of {} releases nothing: {}", event.getStatus(), event.getTransactionId(),
                    done == null ? "not decided here" : done.getState());
            return;
        }
        release(done.getHolders(), done.getTransactionId(), reason, timestamp);
        done.setState(DecidedState.RELEASED);
        done.setHolders(List.of());
        decided.put(done.getTransactionId(), done);
    }

    private void onResolution(ReviewResolution resolution, long timestamp) {
        String transactionId = resolution.getTransactionId();
        DecidedTransaction done = decided.get(transactionId);
        RiskDecision initial = reviewQueue.get(transactionId);
        if (done == null || done.getState() != DecidedState.IN_REVIEW || initial == null) {
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
            release(done.getHolders(), transactionId, ReleaseReason.REVIEW_DECLINED, timestamp);
            done.setHolders(List.of());
            done.setState(DecidedState.DECLINED);
        } else {
            done.setState(DecidedState.APPROVED);
        }
        decided.put(transactionId, done);
        reviewQueue.delete(transactionId);
        RiskDecision decision = Decisions.reviewResolution(initial, resolution,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        DecisionMetrics.decided(decision);
        forward(transactionId, decision, timestamp);
    }

    private void release(List<String> holders, String transactionId, ReleaseReason reason, long timestamp) {
        for (String holder : holders) {
            forward(holder, StageCommand.newBuilder()
                    .setKind(CommandKind.RELEASE)
                    .setTransactionId(transactionId)
                    .setDimension(StoreKeys.holderDimension(holder).name())
                    .setValue(StoreKeys.holderValue(holder))
                    .setReason(reason.name())
                    .build(), timestamp);
        }
    }

    /** Decides, without them, the transactions whose verdicts are missing past the stage timeout. */
    private void timeOut(long nowMs) {
        long cutoffMs = nowMs - options.stageTimeout().toMillis();
        long forgetMs = nowMs - options.replayRetention().toMillis();
        List<JoinState> overdue = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        try (KeyValueIterator<String, JoinState> states = pending.all()) {
            while (states.hasNext() && overdue.size() + orphans.size() < options.maxPurgedPerRun()) {
                KeyValue<String, JoinState> entry = states.next();
                if (entry.value.getFirstSeenMs() > cutoffMs) {
                    continue;
                }
                if (entry.value.getAccount() != null) {
                    overdue.add(entry.value);
                } else if (entry.value.getFirstSeenMs() < forgetMs) {
                    orphans.add(entry.key);
                }
            }
        }
        for (JoinState state : overdue) {
            List<String> missing = missingHolders(state);
            LOG.warn("Deciding {} without {} stage verdict(s) after the stage timeout", state.getTransactionId(),
                    missing.size());
            decide(state, missing, nowMs);
        }
        // A dimension verdict whose account verdict never came cannot be decided (the request is unknown).
        orphans.forEach(pending::delete);
    }

    private void purge(long nowMs) {
        long cutoffMs = nowMs - options.replayRetention().toMillis();
        int forgotten = StorePurge.deleteMatching(decided, options.maxPurgedPerRun(),
                (transactionId, done) -> done.getDecidedAtMs() < cutoffMs && done.getState() != DecidedState.IN_REVIEW);
        if (forgotten > 0) {
            LOG.info("Forgot {} decided transactions in task {}", forgotten, context.taskId());
        }
    }
}
