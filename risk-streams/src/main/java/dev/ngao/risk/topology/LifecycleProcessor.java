package dev.ngao.risk.topology;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.AuthorizationDecider;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ResolutionSource;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import dev.ngao.risk.internal.AccountCommand;
import dev.ngao.risk.internal.AccountCommandKind;
import dev.ngao.risk.internal.DecidedState;
import dev.ngao.risk.internal.DecidedTransaction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What happens to a decided transaction's reservation afterwards, keyed by transaction id and off the
 * decision path: it reads the INITIAL decisions back from risk.decisions beside providers.events and
 * risk.reviews (all keyed by transaction id, co-partitioned). An approval is remembered for the replay
 * retention, so a provider's FAILED, EXPIRED or REVERSED (transition APPLIED) releases it, also when it is read
 * before the approval (it is remembered and releases the approval as it comes); a review enters
 * the review queue, and an analyst's resolution becomes one REVIEW_RESOLUTION decision (APPROVE keeps the
 * reservation, DECLINE releases it). Releases go to the account's decision task as commands. Declines
 * reserved nothing, so they need nothing here.
 *
 * <p>A CHALLENGE (a step-up verification of the payer) waits in the challenge queue, holding what it reserved as
 * a review does; the result the merchant posted (a {@link ReviewResolution} of source CHALLENGE on risk.reviews)
 * becomes one CHALLENGE_RESULT decision: passed, APPROVE, keeping the reservation; failed, DECLINE, releasing it.
 * A wall-clock punctuation every {@link #CHALLENGE_SWEEP_INTERVAL} declines each challenge
 * {@link #CHALLENGE_RESULT_GRACE} past its {@code challengeExpiresAt} (CHALLENGE_RESULT, DECLINE, reason
 * {@value Decisions#CHALLENGE_EXPIRED_REASON_ID}) and releases it; the grace lets a result posted before the expiry
 * and still in flight decide. A result posted at or after the expiry is refused and the challenge expires at once.
 *
 * <p>Card authorizations also read cards.authorizations (keyed by transaction id too): what ingest-service
 * answered the network is final, so when it differs from risk's decision (the timeout default answered, or a
 * REVIEW was answered DECLINE) risk follows it with one AUTHORIZATION_ANSWER decision and the matching release
 * or reservation. A card authorization's decision is kept for that, declines included.
 *
 * <p>It also reads ledger.refusals (keyed by transaction id): an approved payment the ledger refused for want of
 * funds can never move money, so it gets one LEDGER_REFUSAL decision, DECLINE with reason
 * {@value #INSUFFICIENT_FUNDS}, and its reservation is released. The decision of every approval of money going
 * out is kept for that.
 */
final class LifecycleProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleProcessor.class);
    private static final InternalSerde<RiskDecision> DECISIONS = InternalSerde.of(RiskDecision.class);
    private static final InternalSerde<ReviewResolution> RESOLUTIONS = InternalSerde.of(ReviewResolution.class);
    /** Who settled a payment when the ledger refused it (beside the card network's deciders). */
    private static final String LEDGER = "LEDGER";
    /** Reason id of a LEDGER_REFUSAL decision; not a rule of any rule set. */
    static final String INSUFFICIENT_FUNDS = "insufficient-funds";
    /** audit.risk action of an analyst's resolution, applied (SUCCESS) or ignored (REFUSED). */
    static final String REVIEW_RESOLVED_ACTION = "review.resolved";
    /** audit.risk action of a challenge's result posted by the merchant, applied (SUCCESS) or ignored (REFUSED). */
    static final String CHALLENGE_COMPLETED_ACTION = "challenge.completed";
    /** How often expired challenges are looked for. */
    static final Duration CHALLENGE_SWEEP_INTERVAL = Duration.ofSeconds(5);
    /**
     * How long after its expiry a challenge still waits for a result posted before the expiry (ingest takes one
     * until then) and not read yet; only then is it declined. It ends at most this plus a sweep after it expired.
     */
    static final Duration CHALLENGE_RESULT_GRACE = Duration.ofSeconds(30);
    /** At most so many challenges expire in one sweep; the rest in the next. */
    static final int MAXIMUM_EXPIRIES_PER_SWEEP = 10_000;
    /** Money coming in: the ledger never refuses it, so its decision need not be kept. */
    private static final Set<PaymentType> INBOUND = EnumSet.of(PaymentType.MOBILE_MONEY_COLLECTION,
            PaymentType.CIP_PAYMENT);

    private final TopologyOptions options;

    private ProcessorContext<String, SpecificRecord> context;
    private WindowStore<String, DecidedTransaction> decided;
    private KeyValueStore<String, RiskDecision> reviewQueue;
    private KeyValueStore<String, RiskDecision> challengeQueue;

    LifecycleProcessor(TopologyOptions options) {
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.decided = context.getStateStore(RiskTopology.DECIDED_TRANSACTIONS_STORE);
        this.reviewQueue = context.getStateStore(RiskTopology.REVIEW_QUEUE_STORE);
        this.challengeQueue = context.getStateStore(RiskTopology.CHALLENGE_QUEUE_STORE);
        context.schedule(CHALLENGE_SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::expireChallenges);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof RiskDecision decision) {
            onDecision(decision, record);
        } else if (record.value() instanceof CardAuthorizationAnswer answer) {
            onAnswer(answer, record);
        } else if (record.value() instanceof AuditRecord refusal) {
            onRefusal(refusal, record);
        } else if (record.value() instanceof ProviderEvent event) {
            onProviderEvent(event, record);
        } else if (record.value() instanceof ReviewResolution resolution) {
            onResolution(resolution, record);
        }
    }

    private void onDecision(RiskDecision decision, Record<String, SpecificRecord> record) {
        if (decision.getKind() != DecisionKind.INITIAL) {
            return;
        }
        boolean cardAuthorization = decision.getType() == PaymentType.CARD_AUTHORIZATION;
        DecidedTransaction early = find(decision.getTransactionId());
        if (early != null && early.getState() == DecidedState.RESOLVED_BEFORE_DECISION) {
            ReviewResolution resolution = RESOLUTIONS.decode(CardFold.bytes(early.getResolution()));
            if (decision.getOutcome() == awaiting(resolution)) {
                // The analyst's resolution (or the challenge's result) was read first (see onResolution): the
                // review or challenge is resolved at once.
                queueOf(resolution).put(decision.getTransactionId(), decision);
                onResolution(resolution, record);
                return;
            }
            audit(resolution, AuditOutcome.REFUSED, notAwaiting(resolution), record);
            early = null;
        }
        if (early != null && early.getState() == DecidedState.ANSWERED_BEFORE_DECISION) {
            follow(decision, decision.getOutcome(), Outcome.valueOf(early.getAnswer()), early.getAnsweredBy(), record);
            return;
        }
        if (decision.getOutcome() == Outcome.APPROVE) {
            if (early != null && early.getState() == DecidedState.ENDED_BEFORE_DECISION) {
                // The provider's failure was read first (the task merges its inputs by timestamp only as far as
                // they are fetched): the approval is released at once.
                release(decision.getAccountId(), decision.getTransactionId(),
                        ReleaseReason.valueOf(early.getReleaseReason()), record);
                remember(decision.getTransactionId(), decision.getAccountId(), DecidedState.RELEASED);
            } else {
                remember(decision, DecidedState.APPROVED);
            }
        } else if (decision.getOutcome() == Outcome.REVIEW) {
            reviewQueue.put(decision.getTransactionId(), decision);
        } else if (decision.getOutcome() == Outcome.CHALLENGE) {
            challengeQueue.put(decision.getTransactionId(), decision);
        } else if (cardAuthorization) {
            // A decline holds nothing, but the network may still have been answered APPROVE (the timeout default).
            remember(decision, DecidedState.DECLINED);
        }
    }

    private void remember(String transactionId, String accountId, DecidedState state) {
        long nowMs = context.currentSystemTimeMs();
        decided.put(transactionId, new DecidedTransaction(transactionId, accountId, state, nowMs, null, null, null,
                null, null), nowMs);
    }

    /**
     * As {@link #remember(String, String, DecidedState)}; a payment that may yet be settled otherwise (a card
     * authorization by its answer, money going out by the ledger's refusal) keeps its decision for that.
     */
    private void remember(RiskDecision decision, DecidedState state) {
        long nowMs = context.currentSystemTimeMs();
        ByteBuffer kept = INBOUND.contains(decision.getType()) ? null : ByteBuffer.wrap(DECISIONS.encode(decision));
        decided.put(decision.getTransactionId(), new DecidedTransaction(decision.getTransactionId(),
                decision.getAccountId(), state, nowMs, null, null, null, kept, null), nowMs);
    }

    /**
     * What ingest-service answered the card network. An answer that is risk's own decision changes nothing;
     * otherwise (the timeout default answered, or a REVIEW was answered DECLINE) it is final for the network,
     * so risk follows it: see {@link #follow}.
     */
    private void onAnswer(CardAuthorizationAnswer answer, Record<String, SpecificRecord> record) {
        if (answer.getDecidedBy() == AuthorizationDecider.RISK && answer.getRiskOutcome() == answer.getOutcome()) {
            return;
        }
        for (KeyValueStore<String, RiskDecision> queue : List.of(reviewQueue, challengeQueue)) {
            // A REVIEW or CHALLENGE answered otherwise (DECLINE, or the timeout default) is closed by the answer.
            RiskDecision waiting = queue.get(answer.getTransactionId());
            if (waiting != null) {
                queue.delete(answer.getTransactionId());
                follow(waiting, waiting.getOutcome(), answer.getOutcome(), answer.getDecidedBy().name(), record);
                return;
            }
        }
        settle(answer.getTransactionId(), answer.getOutcome(), answer.getDecidedBy().name(), record);
    }

    /**
     * The ledger refused an approved payment for want of funds (a payout beyond the available balance): the
     * approval can never move money, so it becomes the payment's final DECLINE, {@value #INSUFFICIENT_FUNDS}.
     */
    private void onRefusal(AuditRecord refusal, Record<String, SpecificRecord> record) {
        settle(refusal.getSubjectId(), Outcome.DECLINE, LEDGER, record);
    }

    /**
     * Follows a final word on a decided transaction ({@link #follow}); read before the decision, it is remembered
     * and followed when the decision comes.
     */
    private void settle(String transactionId, Outcome outcome, String by, Record<String, SpecificRecord> cause) {
        DecidedTransaction done = find(transactionId);
        if (done == null) {
            long nowMs = context.currentSystemTimeMs();
            decided.put(transactionId, new DecidedTransaction(transactionId, "", DecidedState.ANSWERED_BEFORE_DECISION,
                    nowMs, null, outcome.name(), by, null, null), nowMs);
            return;
        }
        if (done.getDecision() == null
                || (done.getState() != DecidedState.APPROVED && done.getState() != DecidedState.DECLINED)) {
            LOG.info("{} by {} of {} follows nothing: it is {}", outcome, by, transactionId, done.getState());
            return;
        }
        // What stands now: a decline the network was answered APPROVE for is an approval since.
        Outcome standing = done.getState() == DecidedState.APPROVED ? Outcome.APPROVE : Outcome.DECLINE;
        follow(DECISIONS.decode(CardFold.bytes(done.getDecision())), standing, outcome, by, cause);
    }

    /**
     * Makes risk's decision the final word on the payment (what a card network was answered, or the ledger's
     * refusal): one that differs becomes one AUTHORIZATION_ANSWER or LEDGER_REFUSAL decision; a DECLINE
     * releases what the approval or review held (never an approval, so it leaves the approved history too), an
     * APPROVE of a decline reserves it (the account's task counts it on every counter, beyond a limit if need
     * be: the network already approved). The review of a REVIEW so settled is closed, and a later analyst
     * resolution is ignored. {@code had} is what stands now: the initial outcome, or an approval since.
     */
    private void follow(RiskDecision initial, Outcome had, Outcome outcome, String by,
                        Record<String, SpecificRecord> cause) {
        boolean ledger = LEDGER.equals(by);
        if (outcome == Outcome.APPROVE) {
            if (had == Outcome.DECLINE) {
                command(initial.getAccountId(), initial.getTransactionId(), AccountCommandKind.RESERVE, null, cause);
            }
            remember(initial, DecidedState.APPROVED);
        } else {
            if (had != Outcome.DECLINE) {
                release(initial.getAccountId(), initial.getTransactionId(),
                        ledger ? ReleaseReason.LEDGER_REFUSED : ReleaseReason.NETWORK_DECLINED, cause);
            }
            remember(initial, DecidedState.ANSWERED);
        }
        if (had != outcome) {
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            RiskDecision decision = ledger
                    ? Decisions.settled(initial, outcome, DecisionKind.LEDGER_REFUSAL, INSUFFICIENT_FUNDS,
                    INSUFFICIENT_FUNDS + ": the ledger refused it, the funds to spend were not there", now)
                    : Decisions.settled(initial, outcome, DecisionKind.AUTHORIZATION_ANSWER,
                    Decisions.NETWORK_ANSWER_REASON_ID, "the card network was answered " + outcome + " (" + by
                            + "), risk had said " + had, now);
            DecisionMetrics.decided(decision);
            context.forward(cause.withKey(initial.getTransactionId()).withValue(decision));
        }
    }

    private DecidedTransaction find(String transactionId) {
        long nowMs = context.currentSystemTimeMs();
        DecidedTransaction latest = null;
        try (WindowStoreIterator<DecidedTransaction> found = decided.fetch(transactionId,
                nowMs - options.replayRetention().toMillis(), nowMs)) {
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
                    DecidedState.ENDED_BEFORE_DECISION, nowMs, reason.name(), null, null, null, null), nowMs);
            return;
        }
        if (done.getState() != DecidedState.APPROVED) {
            LOG.debug("Provider {} of {} releases nothing: {}", event.getStatus(), event.getTransactionId(),
                    done.getState());
            return;
        }
        release(done.getAccountId(), done.getTransactionId(), reason, record);
        decided.put(done.getTransactionId(), new DecidedTransaction(done.getTransactionId(), done.getAccountId(),
                DecidedState.RELEASED, done.getDecidedAtMs(), null, null, null, null, null), done.getDecidedAtMs());
    }

    private void onResolution(ReviewResolution resolution, Record<String, SpecificRecord> record) {
        String transactionId = resolution.getTransactionId();
        KeyValueStore<String, RiskDecision> queue = queueOf(resolution);
        RiskDecision initial = queue.get(transactionId);
        boolean awaitedOtherwise = (queue == reviewQueue ? challengeQueue : reviewQueue).get(transactionId) != null;
        if (initial == null && !awaitedOtherwise && find(transactionId) == null) {
            // Its REVIEW or CHALLENGE decision may still be on its way (the task merges its inputs in timestamp
            // order only as far as they are fetched, e.g. right after a rebalance): remembered, and applied when
            // it is read.
            long nowMs = context.currentSystemTimeMs();
            decided.put(transactionId, new DecidedTransaction(transactionId, "", DecidedState.RESOLVED_BEFORE_DECISION,
                    nowMs, null, null, null, null, ByteBuffer.wrap(RESOLUTIONS.encode(resolution))), nowMs);
            LOG.info("Resolution {} of {} read before its decision: applied when the decision is read",
                    resolution.getResolutionId(), transactionId);
            return;
        }
        if (initial == null) {
            LOG.warn("Resolution {} of {} ignored: the transaction is {}", resolution.getResolutionId(),
                    transactionId, notAwaiting(resolution));
            audit(resolution, AuditOutcome.REFUSED, notAwaiting(resolution), record);
            return;
        }
        if (resolution.getOutcome() != Outcome.APPROVE && resolution.getOutcome() != Outcome.DECLINE) {
            LOG.warn("Resolution {} of {} ignored: a resolution approves or declines", resolution.getResolutionId(),
                    transactionId);
            audit(resolution, AuditOutcome.REFUSED, "a resolution approves or declines", record);
            return;
        }
        boolean challenge = resolution.getSource() == ResolutionSource.CHALLENGE;
        if (challenge && expired(initial, resolution.getResolvedAt().toEpochMilli())) {
            audit(resolution, AuditOutcome.REFUSED, "the challenge expired at " + initial.getChallengeExpiresAt(),
                    record);
            expire(initial, record);
            return;
        }
        if (resolution.getOutcome() == Outcome.DECLINE) {
            release(initial.getAccountId(), transactionId,
                    challenge ? ReleaseReason.CHALLENGE_FAILED : ReleaseReason.REVIEW_DECLINED, record);
            // Known as resolved, so a later resolution is refused as not awaited rather than kept as early.
            remember(transactionId, initial.getAccountId(), DecidedState.RELEASED);
        } else {
            remember(initial, DecidedState.APPROVED);
            if (initial.getType() == PaymentType.CARD_LOAD) {
                // In review or challenged, a load credited nothing to the card's funds: the approval does (CardFunds).
                command(initial.getAccountId(), transactionId, AccountCommandKind.CREDIT, null, record);
            }
        }
        queue.delete(transactionId);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        RiskDecision decision = challenge ? Decisions.challengeResult(initial, resolution, now)
                : Decisions.reviewResolution(initial, resolution, now);
        DecisionMetrics.decided(decision);
        context.forward(record.withKey(transactionId).withValue(decision));
        audit(resolution, AuditOutcome.SUCCESS, "final decision " + resolution.getOutcome(), record);
    }

    /** The outcome a resolution of this source resolves: REVIEW for an analyst's, CHALLENGE for a challenge's. */
    private static Outcome awaiting(ReviewResolution resolution) {
        return resolution.getSource() == ResolutionSource.CHALLENGE ? Outcome.CHALLENGE : Outcome.REVIEW;
    }

    private static String notAwaiting(ReviewResolution resolution) {
        return resolution.getSource() == ResolutionSource.CHALLENGE ? "not in challenge" : "not in review";
    }

    private KeyValueStore<String, RiskDecision> queueOf(ReviewResolution resolution) {
        return resolution.getSource() == ResolutionSource.CHALLENGE ? challengeQueue : reviewQueue;
    }

    /** A challenge is past its expiry at {@code atMs}; one decided without an expiry counts from its decision. */
    private boolean expired(RiskDecision challenge, long atMs) {
        Instant expiresAt = challenge.getChallengeExpiresAt() != null ? challenge.getChallengeExpiresAt()
                : challenge.getDecidedAt().plus(options.challengeTimeout());
        return atMs >= expiresAt.toEpochMilli();
    }

    /** Declines every challenge past its expiry (at most {@link #MAXIMUM_EXPIRIES_PER_SWEEP} in one go). */
    private void expireChallenges(long nowMs) {
        List<RiskDecision> due = new ArrayList<>();
        try (KeyValueIterator<String, RiskDecision> waiting = challengeQueue.all()) {
            while (waiting.hasNext() && due.size() < MAXIMUM_EXPIRIES_PER_SWEEP) {
                RiskDecision challenge = waiting.next().value;
                if (expired(challenge, nowMs - CHALLENGE_RESULT_GRACE.toMillis())) {
                    due.add(challenge);
                }
            }
        }
        for (RiskDecision challenge : due) {
            expire(challenge, new Record<>(challenge.getTransactionId(), challenge, nowMs));
        }
    }

    /** The challenge's final DECLINE for want of a result in time; what it held is released. */
    private void expire(RiskDecision challenge, Record<String, ? extends SpecificRecord> cause) {
        String transactionId = challenge.getTransactionId();
        Record<String, SpecificRecord> record = new Record<>(transactionId, challenge, cause.timestamp(),
                cause.headers());
        release(challenge.getAccountId(), transactionId, ReleaseReason.CHALLENGE_EXPIRED, record);
        remember(transactionId, challenge.getAccountId(), DecidedState.RELEASED);
        challengeQueue.delete(transactionId);
        RiskDecision decision = Decisions.challengeExpired(challenge,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        DecisionMetrics.decided(decision);
        context.forward(record.withValue(decision));
        LOG.info("Challenge of {} expired at {}: declined", transactionId, challenge.getChallengeExpiresAt());
    }

    /**
     * An analyst's decision change on audit.risk, applied or refused: who, which transaction and resolution,
     * what it became. The analyst's note stays on risk.reviews (free text: it may hold what an audit must not).
     */
    private void audit(ReviewResolution resolution, AuditOutcome outcome, String result,
                       Record<String, SpecificRecord> cause) {
        context.forward(new Record<>(resolution.getTransactionId(), AuditRecord.newBuilder()
                .setAuditId((resolution.getSource() == ResolutionSource.CHALLENGE ? "challenge-result:"
                        : "review-resolution:") + resolution.getResolutionId())
                .setOccurredAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setComponent("risk-streams")
                .setActor(resolution.getAnalystKeyId())
                .setAction(resolution.getSource() == ResolutionSource.CHALLENGE ? CHALLENGE_COMPLETED_ACTION
                        : REVIEW_RESOLVED_ACTION)
                .setSubjectType("transaction")
                .setSubjectId(resolution.getTransactionId())
                .setOutcome(outcome)
                .setDetails(new HashMap<>(Map.of("resolutionId", resolution.getResolutionId(),
                        "merchantId", resolution.getMerchantId(), "outcome", resolution.getOutcome().name(),
                        "result", result)))
                .build(), cause.timestamp()));
    }

    private void release(String accountId, String transactionId, ReleaseReason reason,
                         Record<String, SpecificRecord> cause) {
        command(accountId, transactionId, AccountCommandKind.RELEASE, reason.name(), cause);
    }

    private void command(String accountId, String transactionId, AccountCommandKind kind, String reason,
                         Record<String, SpecificRecord> cause) {
        context.forward(new Record<>(accountId, AccountCommand.newBuilder()
                .setKind(kind)
                .setTransactionId(transactionId)
                .setReason(reason)
                .build(), cause.timestamp(), new RecordHeaders(cause.headers().toArray())));
    }
}
