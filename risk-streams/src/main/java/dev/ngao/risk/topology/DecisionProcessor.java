package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.risk.rules.Evaluation;
import dev.ngao.risk.rules.LimitPolicy;
import dev.ngao.risk.rules.RuleHit;
import dev.ngao.risk.rules.RuleSet;
import dev.ngao.risk.rules.UsageView;
import dev.ngao.risk.rules.UtcDays;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Decides one payment request: drops a request already decided, evaluates the rules against the
 * account's usage, reserves the amount of an approval, and emits one decision keyed by transaction id.
 * Everything a request reads and writes belongs to its account, and requests are keyed by account, so
 * check-and-reserve is atomic within one task; exactly-once v2 commits the stores, the decision and the
 * input offset together.
 *
 * <p>{@code decidedAt} is the wall clock of the stream thread ({@link ProcessorContext#currentSystemTimeMs()}),
 * used consistently: it is written into each decision and into the de-duplication store, and the purge
 * punctuator compares it with the same wall clock. The daily window, by contrast, is event time (the
 * request's {@code requestedAt}), so a replay reaches the same day.
 */
final class DecisionProcessor implements Processor<String, PaymentRequest, String, RiskDecision> {

    /** Id of the check that the record key is the request's account; not a rule of the rule set. */
    static final String ACCOUNT_KEY_CHECK_ID = "request-keyed-by-account";
    /** Bounds the work of one purge; what is left waits for the next punctuation. */
    static final int MAX_PURGED_PER_RUN = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DecisionProcessor.class);

    private final RuleSet rules;
    private final LimitPolicy policy;
    private final Duration replayRetention;
    private final Duration usageRetention;
    private final Duration purgeInterval;

    private ProcessorContext<String, RiskDecision> context;
    private KeyValueStore<String, Long> decidedTransactions;
    private KeyValueStore<String, Long> dailyUsage;
    private long replaysDropped;

    DecisionProcessor(LimitPolicy policy, Duration replayRetention, Duration usageRetention, Duration purgeInterval) {
        this.policy = policy;
        this.rules = RuleSet.limits(policy);
        this.replayRetention = replayRetention;
        this.usageRetention = usageRetention;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public void init(ProcessorContext<String, RiskDecision> context) {
        this.context = context;
        this.decidedTransactions = context.getStateStore(RiskTopology.DECIDED_TRANSACTIONS_STORE);
        this.dailyUsage = context.getStateStore(RiskTopology.DAILY_USAGE_STORE);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, PaymentRequest> record) {
        PaymentRequest request = record.value();
        if (request == null) {
            LOG.warn("Skipped a payment request record without a value in task {}", context.taskId());
            return;
        }
        String transactionId = request.getTransactionId();
        if (decidedTransactions.get(transactionId) != null) {
            replaysDropped++;
            LOG.debug("Dropped replayed request {}: already decided ({} replays dropped by task {})",
                    transactionId, replaysDropped, context.taskId());
            return;
        }
        Evaluation evaluation = evaluate(record.key(), request);
        if (evaluation.outcome() == Outcome.APPROVE) {
            reserve(request);
        }
        long decidedAtMs = context.currentSystemTimeMs();
        decidedTransactions.put(transactionId, decidedAtMs);
        RiskDecision decision = Decisions.of(request, evaluation, Instant.ofEpochMilli(decidedAtMs));
        context.forward(new Record<>(transactionId, decision, record.timestamp()));
    }

    private Evaluation evaluate(String key, PaymentRequest request) {
        // Atomic check-and-reserve needs every request of an account on one partition; a request keyed
        // otherwise would be counted in the wrong task, so it is declined rather than half-checked.
        if (!request.getAccountId().equals(key)) {
            RuleHit hit = RuleHit.decline(ACCOUNT_KEY_CHECK_ID,
                    "request was not keyed by its account id, so its limits cannot be checked atomically");
            return new Evaluation(Outcome.DECLINE, List.of(hit), rules.version());
        }
        return rules.evaluate(request, usageView());
    }

    private UsageView usageView() {
        return (accountId, currency, utcDay) -> {
            Long reserved = dailyUsage.get(DailyUsageKey.of(accountId, currency, utcDay));
            return reserved == null ? 0L : reserved;
        };
    }

    private void reserve(PaymentRequest request) {
        String currency = request.getAmount().getCurrency();
        String key = DailyUsageKey.of(request.getAccountId(), currency, UtcDays.dayOf(request.getRequestedAt()));
        Long before = dailyUsage.get(key);
        long reservedMinor = Math.addExact(before == null ? 0L : before, request.getAmount().getAmountMinor());
        // The daily rule approved, so the reservation fits the limit; if not, a rule is broken and the
        // process stops rather than approve money past a hard limit.
        long limitMinor = policy.dailyLimitMinor(currency).orElse(-1L);
        Invariants.check(reservedMinor <= limitMinor, "approval of " + request.getTransactionId()
                + " would reserve beyond the daily limit of " + currency);
        dailyUsage.put(key, reservedMinor);
    }

    private void purge(long nowMs) {
        long decidedCutoffMs = nowMs - replayRetention.toMillis();
        int decidedPurged = StorePurge.deleteMatching(decidedTransactions, MAX_PURGED_PER_RUN,
                (transactionId, decidedAtMs) -> decidedAtMs < decidedCutoffMs);
        LocalDate oldestKeptDay = UtcDays.dayOf(Instant.ofEpochMilli(nowMs).minus(usageRetention));
        int usagePurged = StorePurge.deleteMatching(dailyUsage, MAX_PURGED_PER_RUN,
                (key, reservedMinor) -> DailyUsageKey.dayOf(key).map(day -> day.isBefore(oldestKeptDay)).orElse(false));
        if (decidedPurged > 0 || usagePurged > 0) {
            LOG.info("Purged {} decided transactions and {} daily usage entries in task {}",
                    decidedPurged, usagePurged, context.taskId());
        }
    }
}
